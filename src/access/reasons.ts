/**
 * The parts reasons are made of, as reasons themselves: who (a principal), what (a scope),
 * which throttle key tripped, why a token was rejected. Structured, so a reason renders in
 * any language and diagnose reads its parts without parsing words.
 */
import type { AccessEntry } from './scopes.js';
import { reason, type Reason } from './decision.js';
export { principalReason } from './principal.js';
import type { ThrottleKey } from './login-throttle.js';

/** "pull, push on repository 'app'", or listing the catalog. */
export function scopeReason(required: AccessEntry): Reason {
  if (required.type === 'registry' && required.name === 'catalog') return reason('scopeCatalog');
  return reason('scopeRepository', { actions: required.actions.join(', '), repository: required.name });
}

/** Which throttle key tripped: the address alone, or an identity from an address. */
export function throttleKeyReason(key: ThrottleKey): Reason {
  return key.kind === 'address'
    ? reason('throttleAddress', { address: key.address })
    : reason('throttleIdentity', { identity: key.identity, address: key.address });
}

/** Why a token's signature or claims were refused (identity/key-ring.ts's TokenRejected reasons). */
export function tokenRejectedReason(code: string): Reason {
  switch (code) {
    case 'expired':
      return reason('tokenExpired');
    case 'not-yet-valid':
      return reason('tokenNotYetValid');
    case 'bad-signature':
      return reason('tokenBadSignature');
    case 'wrong-audience':
      return reason('tokenWrongAudience');
    case 'wrong-issuer':
      return reason('tokenWrongIssuer');
    case 'malformed':
      return reason('tokenMalformed');
    default:
      return reason('tokenNotVerified');
  }
}
