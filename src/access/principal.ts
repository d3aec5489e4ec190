/** Who a request acts as, once its credentials are checked. */
import type { IdentityType } from '../storage/metadata/access-records.js';
import { englishReason } from '../auth/decision.js';
import { principalReason } from '../auth/reasons.js';

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
