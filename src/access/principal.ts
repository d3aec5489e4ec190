/** Who a request acts as, once its credentials are checked. */
import type { IdentityType } from '../storage/metadata/access-records.js';
import { englishReason, reason, type Reason } from './decision.js';

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

/** "the service principal 'a1b2…'", in English, for messages that are not yet keys (the reason is reasons.ts's). */
export function describePrincipal(principal: Principal): string {
  return englishReason(principalReason(principal));
}

/** "the service principal 'a1b2…'" */
export function principalReason(principal: Principal): Reason {
  switch (principal.kind) {
    case 'anonymous':
      return reason('principalAnonymous');
    case 'adminUser':
      return reason('principalAdminUser', { name: principal.name });
    case 'repositoryToken':
      return reason('principalRepositoryToken', { name: principal.name });
    case 'ServicePrincipal':
      return reason('principalServicePrincipal', { name: principal.name });
    case 'ManagedIdentity':
      return reason('principalManagedIdentity', { name: principal.name });
    case 'User':
      return reason('principalUser', { name: principal.name });
  }
}
