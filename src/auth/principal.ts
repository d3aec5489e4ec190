/** Who a request acts as, once its credentials are checked. */
import type { IdentityType } from '../storage/metadata/access-records.js';

export type PrincipalKind = 'anonymous' | 'adminUser' | 'repositoryToken' | IdentityType;

export interface Principal {
  kind: PrincipalKind;
  /** Object id of an Entra identity; registry name for the admin user; token name; 'anonymous'. */
  id: string;
  /** What logs and error messages show: app id, user name, token name, registry name. */
  name: string;
  tenantId: string | null;
}

export const ANONYMOUS: Principal = { kind: 'anonymous', id: 'anonymous', name: 'anonymous', tenantId: null };

/** "service principal 'a1b2…'", for messages. */
export function describePrincipal(principal: Principal): string {
  switch (principal.kind) {
    case 'anonymous':
      return 'an anonymous client';
    case 'adminUser':
      return `the admin user '${principal.name}'`;
    case 'repositoryToken':
      return `the token '${principal.name}'`;
    case 'ServicePrincipal':
      return `the service principal '${principal.name}'`;
    case 'ManagedIdentity':
      return `the managed identity '${principal.name}'`;
    case 'User':
      return `the user '${principal.name}'`;
  }
}
