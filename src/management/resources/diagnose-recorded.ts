/**
 * Diagnose, the recorded login failures that cannot be replayed: a wrong password, token
 * password or client secret, and an ACR refresh token that expired or was revoked. The audit
 * log keeps no secret and no token, so the replay cannot try them again; it reports what was
 * recorded (the decision's reason, stored as its message key and values), why it cannot be
 * replayed, and the sign-in that works: the identity's current credential, a new one, or a
 * new refresh token. Rows written before the key was stored (migration 0009) are replayed.
 */
import { NULL_GUID } from '../../auth/acr-tokens.js';
import { reasonKeys, type Reason, type ReasonKey } from '../../access/decision.js';
import type { AuthenticationReplay } from './diagnose-identity.js';
import type { DiagnoseFix, DiagnoseStageResult, RecordedRequest } from './diagnose-types.js';

type RecordedCredentialFailure =
  'credential:wrongPassword' | 'credential:wrongSecret' | 'refreshToken:expired' | 'refreshToken:revoked' | 'acrToken:wrongUserName' | 'acrToken:invalid';

/** The credential failure each recorded reason key stands for. */
const FAILURE_OF: Partial<Record<ReasonKey, RecordedCredentialFailure>> = {
  acrTokenAsPassword: 'acrToken:wrongUserName',
  refreshTokenExpired: 'refreshToken:expired',
  refreshTokenExpiredHolder: 'refreshToken:expired',
  entraRefreshTokenExpired: 'refreshToken:expired',
  refreshTokenRevoked: 'refreshToken:revoked',
  adminWrongPassword: 'credential:wrongPassword',
  tokenWrongPassword: 'credential:wrongPassword',
  secretInvalid: 'credential:wrongSecret',
  acrTokenInvalid: 'acrToken:invalid',
};

/**
 * Only refused logins (401) carry a credential failure; the recorded reason's keys say which,
 * outermost first (a wrong user name for an ACR token wraps the credential's own refusal).
 */
export function recordedCredentialFailure(recorded: RecordedRequest | null, reason: Reason | undefined): RecordedCredentialFailure | undefined {
  if (!recorded || !reason || recorded.resultType !== 'Failed' || recorded.resultDescription !== '401') return undefined;
  for (const key of reasonKeys(reason)) {
    const failure = FAILURE_OF[key];
    if (failure) return failure;
  }
  return undefined;
}

/** The identity to replay the identity's state for: a refresh token's holder when recorded. */
export function identityToReplay(failure: RecordedCredentialFailure | undefined, recordedIdentity: string | null): string | null {
  if (failure && recordedIdentity === NULL_GUID) return null;
  return recordedIdentity;
}

function fixOf(failure: RecordedCredentialFailure, auth: AuthenticationReplay | undefined, registry: string, loginServer: string): DiagnoseFix {
  const principal = auth?.principal;
  if (failure === 'acrToken:wrongUserName' || failure === 'acrToken:invalid') return { kind: 'useNullGuid', params: { registry, loginServer } };
  if (failure === 'refreshToken:expired' || failure === 'refreshToken:revoked') {
    // The admin user's sign-in is its password; other identities sign in as themselves again.
    if (principal?.kind === 'adminUser') return { kind: 'useAdminPassword', params: { registry, loginServer } };
    return { kind: 'signInAgain', params: { registry, loginServer, identity: principal?.name ?? '', identityKind: principal?.kind ?? '' } };
  }
  switch (principal?.kind) {
    case 'adminUser':
      return { kind: 'useAdminPassword', params: { registry, loginServer } };
    case 'repositoryToken':
      return { kind: 'useTokenPassword', params: { registry, token: principal.name, password: 'password1', loginServer } };
    case 'ServicePrincipal':
      return { kind: 'useClientSecret', params: { appId: principal.name, loginServer } };
    default:
      return { kind: 'useUserPassword', params: { user: principal?.name ?? '', loginServer } };
  }
}

/**
 * The authentication stage for a recorded credential failure, when the identity's state
 * allows it to sign in (or the holder of the token is not known): denied as recorded, not
 * replayed. A state that refuses it now (a disabled token, an expired secret) is a replay of
 * its own and stays as it is.
 */
export function recordedAuthentication(
  failure: RecordedCredentialFailure,
  recorded: RecordedRequest,
  auth: AuthenticationReplay | undefined,
  registry: string,
  loginServer: string,
): AuthenticationReplay {
  const principal = auth?.principal;
  return {
    stage: {
      stage: 'authentication',
      result: 'denied',
      code: 'AUTHENTICATION_FAILED',
      rule: failure,
      reason: recorded.reason,
      details: {
        replayed: 'false',
        ...(principal ? { principalKind: principal.kind, principal: principal.name } : {}),
      },
      fix: fixOf(failure, auth, registry, loginServer),
    } satisfies DiagnoseStageResult,
  };
}
