/**
 * What a management handler gets (the authenticated caller, its access check, the route's
 * params, the query, a JSON body reader) and what it gives back (status, body, headers): the
 * dispatcher in routes.ts does the HTTP around it.
 */
import type { FastifyRequest } from 'fastify';
import type { IdentityClaims } from '../identity/identity-plane.js';
import type { GrantResolver } from '../access/grant-resolver.js';
import type { AuditRecorder } from '../audit/recorder.js';
import type { CredentialChecker } from '../auth/credentials.js';
import type { UploadSessions } from '../distribution/upload-sessions.js';
import type { IdentityPlane } from '../identity/identity-plane.js';
import type { KeyRing } from '../identity/key-ring.js';
import type { NetworkPlane } from '../network/contracts.js';
import type { OperationTracker } from '../domain/operation-tracker.js';
import type { WharfConfig } from '../kernel/config.js';
import type { ArmDefaults } from '../domain/scaffold.js';
import type { Sealer, SecretHasher } from '../kernel/secrets.js';
import type { StorageGuard } from '../kernel/storage-full.js';
import type { BlobStore } from '../storage/blob/blob-store.js';
import type { MetadataStore } from '../storage/metadata/store.js';
import type { IdentityRecord, ResourceGroupRecord, RoleAssignmentRecord, SubscriptionRecord } from '../storage/metadata/access-records.js';
import type { RegistryRecord } from '../storage/metadata/store.js';
import type { ChangeEvents } from '../domain/change-events.js';
import type { RegistryService } from '../domain/registry-service.js';
import type { RepositoryTokenService } from '../domain/repository-token-service.js';
import type { RoleAssignmentService } from '../domain/role-assignment-service.js';
import type { PrivateEndpointService } from '../domain/private-endpoint-service.js';
import type { ManagedIdentityService } from '../domain/managed-identity-service.js';
import type { VirtualNetworkService } from '../domain/virtual-network-service.js';
import type { TrustedServiceService } from '../domain/trusted-service-service.js';
import type { ReplicationService } from '../domain/replication-service.js';
import type { DirectoryIdentityService } from '../domain/directory-identity-service.js';

/** What the management plane is built with (the composition root, server/app.ts, wires it). */
export interface ManagementServices {
  config: WharfConfig;
  /** The tenant, subscription and resource group of this installation. */
  arm: ArmDefaults;
  store: MetadataStore;
  blobStore: BlobStore;
  uploads: UploadSessions;
  manifestMaxBytes: number;
  /** Seals admin passwords under the master key. */
  sealer: Sealer;
  /** Hashes new admin and token passwords. */
  secrets: Pick<SecretHasher, 'hash'>;
  keys: Pick<KeyRing, 'rotate'>;
  identity: Pick<IdentityPlane, 'directory' | 'verifyAccessToken'>;
  network: NetworkPlane;
  audit: Pick<AuditRecorder, 'record'>;
  /** Whether the disk is full (writes that add data are then refused with 507). */
  storage: StorageGuard;
  /** Long-running operations (import, garbage collection, scrub) and their status. */
  operations: OperationTracker;
  /** What `wharf diagnose` replays of the data plane's authentication and authorization. */
  dataPlane: {
    openAccess: boolean;
    grants: Pick<GrantResolver, 'grantsOf'>;
    credentials: Pick<CredentialChecker, 'stillValid'>;
  };
  /** Change events: caches subscribe; management changes publish (docs/architecture.md, "Change events"). */
  events: ChangeEvents;
  /** Registries and their network settings (create, replace, update, delete). */
  registryService: RegistryService;
  /** Repository-scoped tokens, their passwords and scope maps. */
  tokenService: RepositoryTokenService;
  /** Role assignments (create, find, delete). */
  roleAssignmentService: RoleAssignmentService;
  /** Private endpoints (create, update, delete) and the changes their connections make. */
  privateEndpointService: PrivateEndpointService;
  /** User-assigned managed identities (create, find, delete). */
  managedIdentityService: ManagedIdentityService;
  /** Virtual networks and their subnets (create, replace, delete). */
  virtualNetworkService: VirtualNetworkService;
  /** Trusted services (register, replace, remove). */
  trustedServiceService: TrustedServiceService;
  /** A registry's replications (create, replace, update, delete). */
  replicationService: ReplicationService;
  /** The directory's applications, users, credentials, owners and directory roles (Graph). */
  directoryService: DirectoryIdentityService;
}

/** What a role must allow on a resource: ARM's read, write, or the right to assign roles. */
export type ArmPermission = 'read' | 'write' | 'assignRoles';

/** The caller's role checks (authorization.ts AccessCheck): what handlers ask of ARM RBAC. */
export interface ArmAccess {
  assignments(): Promise<RoleAssignmentRecord[]>;
  allows(resourceId: string, permission: ArmPermission): Promise<boolean>;
  /** Refuses with ARM's AuthorizationFailed naming `action` unless the caller holds `permission` over the resource. */
  require(resourceId: string, permission: ArmPermission, action: string): Promise<void>;
  hasAnyRoleAround(scope: string): Promise<boolean>;
  allowsWithin(scope: string, permission: ArmPermission): Promise<boolean>;
}

/**
 * One request as a handler sees it. `S` is the part of the services the handler's module uses: each
 * module names its own `Pick<ManagementServices, …>`, so a handler can reach nothing else, and the
 * dispatcher's full context is assignable to every narrower one.
 */
export interface ManagementContext<S = ManagementServices> {
  services: S;
  request: FastifyRequest;
  /** Named parts of the route template, percent-decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** Who is calling, from the verified bearer token. */
  caller: IdentityClaims;
  access: ArmAccess;
  /** `https://<Host>`: the origin the client used, for links. */
  origin: string;
  /** The request body as a JSON object (400 InvalidRequestContent otherwise). */
  body(): Promise<Record<string, unknown>>;
  /** The registry the path names, found and authorized by the dispatcher for routes that declare a registry need. */
  addressed?: AddressedRegistry;
  /** The subscription, resource group and resource id the path names, found and authorized by the dispatcher. */
  located?: AddressedScope;
  /** The directory object a Graph path names, found (and, for a change, authorized) by the dispatcher. */
  directoryObject?: IdentityRecord;
}

/** The directory object of a Graph route that declares a `directoryObject` need. */
export function addressedDirectoryObject(context: ManagementContext<unknown>): IdentityRecord {
  // A programming error (the route's table entry lacks its need): logged and answered 500 by the dispatcher.
  if (!context.directoryObject) throw new Error(`route ${context.request.routeId ?? context.request.url} declares no directory object need`);
  return context.directoryObject;
}

export interface AddressedScope {
  subscription: SubscriptionRecord;
  /** The resource group the path names (stored spelling), when it names one that must exist. */
  group?: ResourceGroupRecord;
  /** The id the right was checked over (the path's spelling, the subscription's canonical id). */
  resourceId?: string;
}

/** What a route that declares a subscription, resource group, resource or list need addresses. */
export function addressedScope(context: ManagementContext<unknown>): AddressedScope {
  // A programming error (the route's table entry lacks its need): logged and answered 500 by the dispatcher.
  if (!context.located) throw new Error(`route ${context.request.routeId ?? context.request.url} declares no scope need`);
  return context.located;
}

/** The resource group of a route whose need requires it to exist. */
export function addressedGroup(context: ManagementContext<unknown>): ResourceGroupRecord {
  const { group } = addressedScope(context);
  if (!group) throw new Error(`route ${context.request.routeId ?? context.request.url} declares no resource group that must exist`);
  return group;
}

export interface AddressedRegistry {
  registry: RegistryRecord;
  /** The registry's canonical ARM id (stored spelling). */
  id: string;
}

/** The registry a route that declares a registry need (route-table.ts) addresses. */
export function addressedRegistry(context: ManagementContext<unknown>): AddressedRegistry {
  // A programming error (the route's table entry lacks its need): logged and answered 500 by the dispatcher.
  if (!context.addressed) throw new Error(`route ${context.request.routeId ?? context.request.url} declares no registry need`);
  return context.addressed;
}

export interface ManagementResult {
  status: number;
  /** Serialized as JSON; none for 204. */
  body?: unknown;
  headers?: Record<string, string>;
}

export type ManagementHandler<S = ManagementServices> = (context: ManagementContext<S>) => Promise<ManagementResult>;

export const ok = (body: unknown): ManagementResult => ({ status: 200, body });
export const created = (body: unknown): ManagementResult => ({ status: 201, body });
export const noContent = (): ManagementResult => ({ status: 204 });
/** ARM's answer to a collection GET. */
export const collection = (value: unknown[]): ManagementResult => ({ status: 200, body: { value } });
