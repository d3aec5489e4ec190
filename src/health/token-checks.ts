/**
 * The token steps of a pull, on the wire, as az acr check-health makes them: an Entra
 * token exchanged at `/oauth2/exchange` for an ACR refresh token, then `/oauth2/token` for an
 * access token of the scope asked; or `/oauth2/token` with grant_type=password for a username and
 * password (repository-scoped token, admin user). Then what the access token really grants: an
 * empty grant is a missing role or scope map, not a network problem.
 */
import type { HealthContext, RegistryTarget } from './context.js';
import type { Connection } from './connectivity.js';
import { clientIpOf } from './connectivity.js';
import { accessOf, errorMessageOf, type HttpAnswer } from './probes/registry-http.js';

export type DataPlaneCredential =
  | {
      kind: 'entra';
      /** Shown in messages: the app id, client id or name. */
      who: string;
      /** What `wharf role assignment create --assignee` takes. */
      assignee: string;
      entraToken: string;
      tenant: string;
    }
  | { kind: 'password'; username: string; password: string; scopeMap?: string };

export interface ScopeWanted {
  type: 'registry' | 'repository';
  name: string;
  action: string;
}

export function scopeString(scope: ScopeWanted): string {
  return `${scope.type}:${scope.name}:${scope.action}`;
}

/** Whether the access claim grants `scope`'s action (or `*`). */
export function grants(token: string, scope: ScopeWanted): { granted: boolean; actions: string[] } {
  const entry = accessOf(token).find((a) => a.type === scope.type && a.name === scope.name);
  const actions = entry?.actions ?? [];
  return { granted: actions.includes(scope.action) || actions.includes('*'), actions };
}

function tokenPath(realm: string, path: string, connection: Connection): string {
  // az takes scheme and host of the realm and builds /oauth2/exchange and /oauth2/token there.
  try {
    const url = new URL(realm);
    return `${url.protocol}//${url.host}${path}`;
  } catch {
    return connection.http.origin + path;
  }
}

type TokenStep = 'refresh' | 'access';

/** The error of a refused token request, by status and body. */
function refuse(context: HealthContext, target: RegistryTarget, credential: DataPlaneCredential, step: TokenStep, answer: HttpAnswer): never {
  const { t, log } = context;
  const detail = errorMessageOf(answer);
  const check = step === 'refresh' ? 'token-exchange' : 'access-token';
  if (answer.status === 429) {
    const retry = answer.headers['retry-after'] ?? '60';
    throw log.fail({
      check,
      code: 'CONNECTIVITY_TOOMANYREQUESTS_ERROR',
      message: t('tooManyRequestsError', { host: target.authority }),
      cause: t('tooManyRequestsCause', { seconds: retry, detail }),
      fix: t('tooManyRequestsFix', { seconds: retry, registry: target.name }),
      details: { status: 429, retryAfter: retry },
    });
  }
  if (answer.status === 403 && clientIpOf(detail)) {
    const ip = clientIpOf(detail)!;
    const disabled = target.publicNetworkAccess?.toLowerCase() === 'disabled';
    throw log.fail({
      check,
      code: 'CONNECTIVITY_FORBIDDEN_ERROR',
      message: t('forbiddenError', { host: target.authority, registry: target.name }),
      cause: disabled ? t('forbiddenDisabledCause', { registry: target.name, ip }) : t('forbiddenFirewallCause', { registry: target.name, ip, detail }),
      fix: disabled ? t('forbiddenDisabledFix', { registry: target.name }) : t('forbiddenFirewallFix', { registry: target.name, ip }),
      details: { status: 403, clientIp: ip },
    });
  }
  if (answer.status === 401 && /expired/i.test(detail)) {
    const who = credential.kind === 'entra' ? credential.who : credential.username;
    const password = /(password[12]) of token/i.exec(detail)?.[1]?.toLowerCase() ?? 'password1';
    throw log.fail({
      check: 'credentials',
      code: 'CREDENTIALS_EXPIRED_ERROR',
      message: credential.kind === 'password' ? t('tokenPasswordExpiredError', { who }) : t('secretExpiredError', { who }),
      cause: t('secretExpiredCause', { detail }),
      fix:
        credential.kind === 'password'
          ? t('tokenPasswordExpiredFix', { token: who, registry: target.name, password })
          : t('entraExpiredFix', { registry: target.name }),
      details: { status: 401, body: detail },
    });
  }
  const fix =
    credential.kind === 'entra'
      ? t('tokenEntraFix', { assignee: credential.assignee, registry: target.name })
      : t('tokenPasswordFix', { user: credential.username, registry: target.name });
  throw log.fail({
    check,
    code: step === 'refresh' ? 'CONNECTIVITY_REFRESH_TOKEN_ERROR' : 'CONNECTIVITY_ACCESS_TOKEN_ERROR',
    message: t('tokenDeniedError', { host: target.authority, status: String(answer.status) }),
    cause: t('tokenDeniedCause', { detail }),
    fix,
    details: { status: answer.status, body: detail },
  });
}

async function send(context: HealthContext, target: RegistryTarget, credential: DataPlaneCredential, step: TokenStep, call: () => Promise<HttpAnswer>): Promise<HttpAnswer> {
  try {
    return await call();
  } catch (error) {
    const { t, log } = context;
    throw log.fail({
      check: step === 'refresh' ? 'token-exchange' : 'access-token',
      code: step === 'refresh' ? 'CONNECTIVITY_REFRESH_TOKEN_ERROR' : 'CONNECTIVITY_ACCESS_TOKEN_ERROR',
      message: t('tokenDeniedError', { host: target.authority, status: '-' }),
      cause: t('tokenNetworkCause', { detail: (error as Error).message }),
      fix: t('challengeFix', { registry: target.name }),
    });
  }
}

/** Refresh token (Entra) and access token for `scope`; returns the access token. */
export async function fetchAccessToken(
  context: HealthContext,
  target: RegistryTarget,
  connection: Connection,
  credential: DataPlaneCredential,
  scope: ScopeWanted,
): Promise<string> {
  const { t, log } = context;
  const { realm, service } = connection.challenge;
  const tokenUrl = tokenPath(realm, '/oauth2/token', connection);
  let answer: HttpAnswer;
  if (credential.kind === 'entra') {
    const exchanged = await send(context, target, credential, 'refresh', () =>
      connection.http.postForm(tokenPath(realm, '/oauth2/exchange', connection), {
        grant_type: 'access_token',
        service,
        tenant: credential.tenant,
        access_token: credential.entraToken,
      }),
    );
    const refreshToken = exchanged.json<{ refresh_token?: string }>()?.refresh_token;
    if (exchanged.status !== 200 || !refreshToken) refuse(context, target, credential, 'refresh', exchanged);
    log.ok('token-exchange', t('refreshOk', { host: target.authority }));
    answer = await send(context, target, credential, 'access', () =>
      connection.http.postForm(tokenUrl, { grant_type: 'refresh_token', service, scope: scopeString(scope), refresh_token: refreshToken }),
    );
  } else {
    answer = await send(context, target, credential, 'access', () =>
      connection.http.postForm(tokenUrl, { grant_type: 'password', service, scope: scopeString(scope), username: credential.username, password: credential.password }),
    );
  }
  const accessToken = answer.json<{ access_token?: string }>()?.access_token;
  if (answer.status !== 200 || !accessToken) refuse(context, target, credential, 'access', answer);
  log.ok('access-token', t('accessOk', { host: target.authority }));
  return accessToken;
}

/** PERMISSION_DENIED_ERROR when the token grants nothing of `scope`; an ok line naming what it grants otherwise. */
export function checkGrant(context: HealthContext, target: RegistryTarget, credential: DataPlaneCredential, scope: ScopeWanted, accessToken: string): void {
  const { t, log } = context;
  const { granted, actions } = grants(accessToken, scope);
  if (granted) {
    log.ok('permission', t('grantOk', { scope: scopeString(scope), actions: actions.join(',') }), { scope: scopeString(scope), actions });
    return;
  }
  const who = credential.kind === 'entra' ? credential.who : credential.username;
  const repository = scope.type === 'repository' ? scope.name : undefined;
  const fix =
    credential.kind === 'entra'
      ? repository
        ? t('permissionRoleRepoFix', { assignee: credential.assignee, registry: target.name, repository, scopeId: target.id ?? '<registry id>' })
        : t('permissionRoleFix', { assignee: credential.assignee, registry: target.name, scopeId: target.id ?? '<registry id>' })
      : t('permissionScopeMapFix', {
          scopeMap: credential.scopeMap ?? `<${t('scopeMapOf', { token: credential.username })}>`,
          registry: target.name,
          repository: repository ?? '<repository>',
        });
  throw log.fail({
    check: 'permission',
    code: 'PERMISSION_DENIED_ERROR',
    message: t('permissionDeniedError', { scope: scopeString(scope) }),
    cause:
      credential.kind === 'entra'
        ? t('permissionRoleCause', { who, action: scope.action, target: repository ?? scope.name, registry: target.name, actions: actions.join(',') || '-' })
        : t('permissionScopeMapCause', { who, action: scope.action, target: repository ?? scope.name, registry: target.name, actions: actions.join(',') || '-' }),
    fix,
    details: { scope: scopeString(scope), granted: actions },
  });
}
