/** Everything the planes of one Wharf process share, built once at start (see start.ts). */
import type { DistributionServices } from '../distribution/context.js';
import type { KeyRing } from '../identity/key-ring.js';
import type { IdentityPlane } from '../identity/identity-plane.js';
import type { DataPlaneAuth } from '../auth/data-plane-auth.js';
import type { LoginThrottle } from '../auth/throttle.js';
import type { AuditRecorder } from '../audit/recorder.js';
import type { WharfConfig } from './config.js';
import type { RegistryDirectory } from './host-routing.js';
import type { Sealer } from './secrets.js';
import type { ArmDefaults } from './scaffold.js';
import type { NetworkPlane } from '../network/contracts.js';
import type { StorageGuard } from './storage-full.js';
import type { ChangeEvents } from '../domain/change-events.js';
import type { RegistryService } from '../domain/registry-service.js';
import type { RepositoryTokenService } from '../domain/repository-token-service.js';
import type { RoleAssignmentService } from '../domain/role-assignment-service.js';
import type { PrivateEndpointService } from '../domain/private-endpoint-service.js';
import type { ManagedIdentityService } from '../domain/managed-identity-service.js';

export interface WharfServices extends DistributionServices {
  config: WharfConfig;
  /** The tenant, subscription and resource group of this installation. */
  arm: ArmDefaults;
  directory: RegistryDirectory;
  sealer: Sealer;
  keys: KeyRing;
  identity: IdentityPlane;
  auth: DataPlaneAuth;
  throttle: LoginThrottle;
  audit: AuditRecorder;
  network: NetworkPlane;
  /** Whether the disk is full (writes that add data are then refused with 507). */
  storage: StorageGuard;
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
}
