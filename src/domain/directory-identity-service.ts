/**
 * The directory's identities as a domain service: applications (each one its service
 * principal), users, their credentials (client secrets, passwords), application owners and
 * directory role membership. It owns the rules of a change (an application's first owner is
 * whoever registers it, a managed identity is not deleted through the directory, an owner or a
 * role member must be of the caller's tenant, no duplicate owner, directory roles apply to the
 * whole tenant, the last Global Administrator cannot remove itself); each change is one
 * transaction in the metadata store and publishes one `identity` event. Records come checked
 * from `DirectoryRecords` (names, password length, secret dates; secrets scrypt-hashed), which
 * the identity plane's directory implements. Who may make a change is declared by the Graph
 * routes and checked before the service is called (management/graph/graph-access.ts).
 * A refusal is a value (`DirectoryRefusal`), rendered in Graph's error shape by the plane.
 */
import type { ClientSecretRecord, IdentityIndex, IdentityRecord } from '../storage/metadata/access-records.js';
import type { ChangeEvents } from './change-events.js';
import { DIRECTORY_ROLES, findDirectoryRole, GLOBAL_ADMINISTRATOR } from './directory-roles.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Values quoted back in a refusal are cut to this length (they come from the request). */
const QUOTED_MAX = 200;

export interface NewSecret {
  /** The secret value: shown once, never stored or logged. */
  secret: string;
  /** What is stored: the secret's scrypt hash and its first characters. */
  record: ClientSecretRecord;
}

export interface ClientSecretOptions {
  displayName?: string;
  startAt?: Date;
  endAt?: Date;
}

/**
 * Makes the records a change stores, checked but not stored (the identity plane's
 * IdentityDirectory): its refusals pass through this service unchanged.
 */
export interface DirectoryRecords {
  newServicePrincipal(input: { tenantId: string; displayName: string }): Promise<IdentityRecord>;
  newUser(input: { tenantId: string; userName: string; displayName?: string; password: string }): Promise<IdentityRecord>;
  newClientSecret(identity: IdentityRecord, options: ClientSecretOptions): Promise<NewSecret>;
  newPasswordHash(identity: IdentityRecord, password: string): Promise<string>;
}

/** Why the service refused: a key of Graph's messages (or ARM's reasons) with its values. */
export type DirectoryRefusalReason =
  | { key: 'notFound'; id: string }
  | { key: 'alreadyOwner'; owner: string; target: string }
  | { key: 'unknownDirectoryRole'; role: string; roles: string }
  | { key: 'directoryScopeRoot'; scope: string }
  | { key: 'lastGlobalAdministrator' }
  | { key: 'userUpdateNeedsPassword' }
  | { key: 'graphNoPasswordCredential'; keyId: string; name: string }
  | { key: 'graphAppIdInvalid'; appId: string }
  | { key: 'graphManagedIdentity'; name: string }
  | { key: 'graphDisabledAccounts' }
  | { key: 'graphPasswordRequired' };

export class DirectoryRefusal extends Error {
  constructor(readonly reason: DirectoryRefusalReason) {
    super(`directory change refused: ${reason.key}`);
  }
}

const refuse = (reason: DirectoryRefusalReason): never => {
  throw new DirectoryRefusal(reason);
};

/** Who asks: the caller's object id and tenant (changes stay inside the tenant). */
export interface DirectoryCaller {
  objectId: string;
  tenantId: string;
}

export interface DirectoryIdentityServiceDeps {
  identities: Pick<IdentityIndex, 'transaction' | 'getByAppId'>;
  records: DirectoryRecords;
  events: ChangeEvents;
}

interface NewUser {
  userName: string;
  displayName?: string;
  accountEnabled?: boolean;
  password?: string;
}

interface DirectoryRoleRequest {
  roleDefinitionId: string;
  principalId: string;
  directoryScopeId?: string;
}

export class DirectoryIdentityService {
  constructor(private readonly deps: DirectoryIdentityServiceDeps) {}

  /** One change: `work` runs in one transaction; once it commits, one `identity` event about `objectId`. */
  private async change<T>(objectId: (result: T) => string, work: (identities: IdentityIndex) => Promise<T>): Promise<T> {
    const result = await this.deps.identities.transaction(work);
    this.deps.events.publish({ kind: 'identity', objectId: objectId(result) });
    return result;
  }

  /** Registers an application (its service principal); as in Entra, whoever registers it owns it. */
  async registerApplication(caller: DirectoryCaller, displayName: string): Promise<IdentityRecord> {
    const record = await this.deps.records.newServicePrincipal({ tenantId: caller.tenantId, displayName });
    return this.change(
      (created) => created.objectId,
      async (identities) => {
        await identities.create(record);
        await identities.addOwner(record.objectId, caller.objectId);
        return record;
      },
    );
  }

  /** In Wharf the application is its service principal: "creating" one for an application finds it. */
  async servicePrincipalFor(caller: DirectoryCaller, appId: string): Promise<IdentityRecord> {
    const found = GUID.test(appId) ? await this.deps.identities.getByAppId(appId.toLowerCase()) : undefined;
    if (!found || found.tenantId !== caller.tenantId || found.type !== 'ServicePrincipal') return refuse({ key: 'graphAppIdInvalid', appId });
    return found;
  }

  /** Adds a client secret; the answer holds its value, the store only its hash. */
  async addPassword(target: IdentityRecord, options: ClientSecretOptions): Promise<NewSecret> {
    const created = await this.deps.records.newClientSecret(target, options);
    return this.change(
      () => target.objectId,
      async (identities) => {
        await identities.addSecret(created.record);
        return created;
      },
    );
  }

  async removePassword(target: IdentityRecord, keyId: string): Promise<void> {
    await this.change(
      () => target.objectId,
      async (identities) => {
        if (!(await identities.removeSecret(target.objectId, keyId.toLowerCase())))
          refuse({ key: 'graphNoPasswordCredential', keyId, name: target.displayName });
      },
    );
  }

  /** Deletes an application, service principal or user, with its secrets, owners, roles and role assignments. */
  async remove(target: IdentityRecord): Promise<void> {
    // A managed identity belongs to its Azure resource (or to Wharf itself): deleted there.
    if (target.type === 'ManagedIdentity') refuse({ key: 'graphManagedIdentity', name: target.displayName });
    await this.change(
      () => target.objectId,
      (identities) => identities.delete(target.objectId),
    );
  }

  async createUser(caller: DirectoryCaller, request: NewUser): Promise<IdentityRecord> {
    if (request.accountEnabled === false) refuse({ key: 'graphDisabledAccounts' });
    if (request.password === undefined) return refuse({ key: 'graphPasswordRequired' });
    const record = await this.deps.records.newUser({
      tenantId: caller.tenantId,
      userName: request.userName,
      ...(request.displayName ? { displayName: request.displayName } : {}),
      password: request.password,
    });
    return this.change(
      (created) => created.objectId,
      async (identities) => {
        await identities.create(record);
        return record;
      },
    );
  }

  /** An administrator's password reset: every token the old password obtained dies with it. */
  async resetPassword(target: IdentityRecord, password: string | undefined): Promise<void> {
    if (password === undefined) return refuse({ key: 'userUpdateNeedsPassword' });
    const hash = await this.deps.records.newPasswordHash(target, password);
    await this.change(
      () => target.objectId,
      (identities) => identities.setPasswordHash(target.objectId, hash),
    );
  }

  /** Makes `ownerId` (an identity of the caller's tenant) an owner of the application. */
  async addOwner(caller: DirectoryCaller, target: IdentityRecord, ownerId: string): Promise<void> {
    await this.change(
      () => target.objectId,
      async (identities) => {
        const owner = await identities.get(ownerId);
        if (!owner || owner.tenantId !== caller.tenantId) refuse({ key: 'notFound', id: ownerId });
        if (!(await identities.addOwner(target.objectId, ownerId))) refuse({ key: 'alreadyOwner', owner: ownerId, target: target.displayName });
      },
    );
  }

  async removeOwner(target: IdentityRecord, ownerId: string): Promise<void> {
    await this.change(
      () => target.objectId,
      async (identities) => {
        if (!(await identities.removeOwner(target.objectId, ownerId))) refuse({ key: 'notFound', id: ownerId });
      },
    );
  }

  /** Gives a principal of the caller's tenant a directory role (idempotent); answers the role and the principal. */
  async assignRole(caller: DirectoryCaller, request: DirectoryRoleRequest): Promise<{ roleId: string; principalId: string }> {
    const role = findDirectoryRole(request.roleDefinitionId);
    if (!role) {
      return refuse({
        key: 'unknownDirectoryRole',
        role: request.roleDefinitionId.slice(0, 100),
        roles: DIRECTORY_ROLES.map((r) => r.displayName).join(', '),
      });
    }
    const principalId = request.principalId.toLowerCase();
    const scope = request.directoryScopeId ?? '/';
    if (scope !== '/') refuse({ key: 'directoryScopeRoot', scope: scope.slice(0, QUOTED_MAX) });
    return this.change(
      (assigned) => assigned.principalId,
      async (identities) => {
        const principal = await identities.get(principalId);
        if (!principal || principal.tenantId !== caller.tenantId) return refuse({ key: 'notFound', id: principalId });
        await identities.addDirectoryRole(principal.objectId, role.id);
        return { roleId: role.id, principalId: principal.objectId };
      },
    );
  }

  /**
   * Removes the role assignment `<roleId>_<principalId>` (Entra's unified assignment id). The
   * last Global Administrator may not remove itself: nobody could manage the directory after.
   */
  async removeRole(caller: DirectoryCaller, assignmentId: string): Promise<void> {
    const [roleId, principalId] = assignmentId.toLowerCase().split('_');
    await this.change(
      () => principalId!,
      async (identities) => {
        const principal = roleId && principalId ? await identities.get(principalId) : undefined;
        if (!roleId || !principal || principal.tenantId !== caller.tenantId) return refuse({ key: 'notFound', id: assignmentId });
        if (roleId === GLOBAL_ADMINISTRATOR && principal.objectId === caller.objectId) {
          const others = (await identities.directoryRoleMembers(roleId)).filter((member) => member !== principal.objectId);
          if (others.length === 0) refuse({ key: 'lastGlobalAdministrator' });
        }
        if (!(await identities.removeDirectoryRole(principal.objectId, roleId))) refuse({ key: 'notFound', id: assignmentId });
      },
    );
  }
}
