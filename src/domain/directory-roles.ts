/**
 * Directory roles: who may change the directory. As in Entra, a subscription role (even Owner)
 * gives no right over identities; changing an application takes a directory role or ownership
 * of that application, and changing users or directory roles takes a directory role. Role ids
 * are Entra's role template ids, so Graph clients see the values they know.
 */
import type { IdentityIndex, IdentityRecord } from '../storage/metadata/access-records.js';

interface DirectoryRoleDefinition {
  id: string;
  displayName: string;
  description: string;
  /** Manage every application and service principal (credentials, owners, deletion). */
  applications: boolean;
  /** Create and delete users. */
  users: boolean;
  /** Assign and remove directory roles. */
  roles: boolean;
}

export const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';
export const APPLICATION_ADMINISTRATOR = '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3';
export const USER_ADMINISTRATOR = 'fe930be7-5e62-47db-91af-98c3a49a38b1';

export const DIRECTORY_ROLES: readonly DirectoryRoleDefinition[] = [
  {
    id: GLOBAL_ADMINISTRATOR,
    displayName: 'Global Administrator',
    description: 'Can manage all aspects of the directory: applications, users and directory roles.',
    applications: true,
    users: true,
    roles: true,
  },
  {
    id: APPLICATION_ADMINISTRATOR,
    displayName: 'Application Administrator',
    description: 'Can create and manage all applications and service principals, except those holding a directory role.',
    applications: true,
    users: false,
    roles: false,
  },
  {
    id: USER_ADMINISTRATOR,
    displayName: 'User Administrator',
    description: 'Can create and delete users, except those holding a directory role.',
    applications: false,
    users: true,
    roles: false,
  },
];

/** A role by template id or display name (case-insensitive), or undefined. */
export function findDirectoryRole(key: string): DirectoryRoleDefinition | undefined {
  const wanted = key.trim().toLowerCase();
  return DIRECTORY_ROLES.find((r) => r.id === wanted || r.displayName.toLowerCase() === wanted);
}

type DirectoryChange = 'applications' | 'users' | 'roles';

/** What one caller may do to the directory, loaded once per request. */
export class DirectoryRights {
  private held: Promise<DirectoryRoleDefinition[]> | undefined;

  constructor(
    private readonly store: { identities: Pick<IdentityIndex, 'directoryRoles' | 'owners'> },
    private readonly callerObjectId: string,
  ) {}

  roles(): Promise<DirectoryRoleDefinition[]> {
    this.held ??= this.store.identities.directoryRoles(this.callerObjectId).then((ids) => DIRECTORY_ROLES.filter((r) => ids.includes(r.id)));
    return this.held;
  }

  async has(change: DirectoryChange): Promise<boolean> {
    return (await this.roles()).some((r) => r[change]);
  }

  async isGlobalAdministrator(): Promise<boolean> {
    return (await this.roles()).some((r) => r.id === GLOBAL_ADMINISTRATOR);
  }

  /**
   * Whether the caller may change `target` (its credentials, owners, or delete it). An identity
   * that holds a directory role is changed only by a Global Administrator: otherwise an
   * Application Administrator could add a secret to an administrator and become one.
   */
  async mayChange(target: IdentityRecord): Promise<boolean> {
    const kind: DirectoryChange = target.type === 'User' ? 'users' : 'applications';
    if ((await this.store.identities.directoryRoles(target.objectId)).length > 0) return this.isGlobalAdministrator();
    if (await this.has(kind)) return true;
    return kind === 'applications' && (await this.store.identities.owners(target.objectId)).includes(this.callerObjectId);
  }
}
