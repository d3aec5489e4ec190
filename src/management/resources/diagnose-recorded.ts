/**
 * Diagnose, the recorded login failures that cannot be replayed: a wrong password, token
 * password or client secret, and an ACR refresh token that expired or was revoked. The audit
 * log keeps no secret and no token, so the replay cannot try them again; it reports what was
 * recorded (the reason src/auth/credentials.ts wrote), why it cannot be replayed, and the
 * sign-in that works: the identity's current credential, a new one, or a new refresh token.
 */
import { NULL_GUID } from '../../auth/acr-tokens.js';
import type { AuthenticationReplay } from './diagnose-identity.js';
import type { DiagnoseFix, DiagnoseStageResult, RecordedRequest } from './diagnose-types.js';

export type RecordedCredentialFailure =
  | 'credential:wrongPassword'
  | 'credential:wrongSecret'
  | 'refreshToken:expired'
  | 'refreshToken:revoked'
  | 'acrToken:wrongUserName'
  | 'acrToken:invalid';

/** Only refused logins (401) carry a credential failure; the reason's words say which. */
export function recordedCredentialFailure(recorded: RecordedRequest | null): RecordedCredentialFailure | undefined {
  if (!recorded || recorded.resultType !== 'Failed' || recorded.resultDescription !== '401') return undefined;
  const reason = recorded.reason;
  if (/is accepted only with the user name/i.test(reason)) return 'acrToken:wrongUserName';
  if (/refresh token (has )?expired/i.test(reason)) return 'refreshToken:expired';
  if (/refresh token was revoked/i.test(reason)) return 'refreshToken:revoked';
  if (/^wrong password for /i.test(reason) || /AADSTS50126|invalid username or password/i.test(reason)) return 'credential:wrongPassword';
  if (/AADSTS7000215|invalid client secret|client secret is not valid/i.test(reason)) return 'credential:wrongSecret';
  if (/is not a valid ACR token/i.test(reason)) return 'acrToken:invalid';
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
