/**
 * The token steps of a pull, on the wire, as az acr check-health makes them: an Entra
 * token exchanged at `/oauth2/exchange` for an ACR refresh token, then `/oauth2/token` for an
 * access token of the scope asked; or `/oauth2/token` with grant_type=password for a username and
 * password (repository-scoped token, admin user). Then what the access token really grants: an
 * empty grant is a missing role or scope map, not a network problem.
 */
import type { HealthContext, RegistryTarget } from './context.js';
import type { Connection } from './connectivity.js';
import { clientIpOf, networkForbidden } from './connectivity.js';
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
  | {
      kind: 'password';
      username: string;
      password: string;
      scopeMap?: string;
      /** Whether a repository token of this name exists (the management API's answer); undefined: not known. */
      tokenExists?: boolean;
    };

/** The structured refusal of the token endpoint (`errors[0].detail`, src/auth/credentials.ts). */
interface TokenRefusal {
  credential?: 'adminUser' | 'repositoryToken' | 'servicePrincipal' | 'acrToken';
  refusal?: string;
  acrTokenAsPassword?: boolean;
}

const NULL_GUID = '00000000-0000-0000-0000-000000000000';

function refusalOf(answer: HttpAnswer): TokenRefusal | undefined {
  const detail = answer.json<{ errors?: { detail?: unknown }[] }>()?.errors?.[0]?.detail;
  return detail !== null && typeof detail === 'object' ? (detail as TokenRefusal) : undefined;
}

export interface ScopeWanted {
  type: 'registry' | 'repository';
  name: string;
  action: string;
}

function scopeString(scope: ScopeWanted): string {
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

interface PasswordFix {
  cause: string;
  fix: string;
  commands: string[];
  expired?: boolean;
}

/** The cause and fix of a refused username and password, by what the server says was refused. */
function passwordFix(
  context: HealthContext,
  target: RegistryTarget,
  credential: Extract<DataPlaneCredential, { kind: 'password' }>,
  refusal: TokenRefusal,
  detail: string,
): PasswordFix | undefined {
  const { t } = context;
  const user = credential.username;
  const registry = target.name;
  if (refusal.acrTokenAsPassword) {
    const command = `docker login ${target.authority} -u ${NULL_GUID} -p <token>`;
    return { cause: t('acrTokenUserCause', { user, guid: NULL_GUID, detail }), fix: t('acrTokenUserFix', { guid: NULL_GUID, command }), commands: [command] };
  }
  switch (`${refusal.credential}/${refusal.refusal}`) {
    case 'adminUser/invalidCredentials': {
      const command = `wharf credential show -n ${registry}`;
      return { cause: t('adminPasswordCause', { registry, detail }), fix: t('adminPasswordFix', { command, registry }), commands: [command] };
    }
    case 'adminUser/adminUserDisabled': {
      const command = `wharf update -n ${registry} --admin-enabled true`;
      return { cause: t('adminDisabledCause', { registry, detail }), fix: t('adminDisabledFix', { command, registry }), commands: [command] };
    }
    case 'servicePrincipal/invalidCredentials':
    case 'servicePrincipal/secretRefused': {
      const command = `wharf sp credential reset --id ${user} --append`;
      return { cause: t('spSecretCause', { appId: user, detail }), fix: t('spSecretFix', { command, appId: user }), commands: [command] };
    }
    case 'servicePrincipal/secretExpired': {
      const command = `wharf sp credential reset --id ${user} --append`;
      return { cause: t('secretExpiredCause', { detail }), fix: t('spSecretExpiredFix', { appId: user }), commands: [command], expired: true };
    }
    case 'servicePrincipal/applicationNotRegistered': {
      const command = 'wharf sp list';
      return { cause: t('spUnknownCause', { appId: user, detail }), fix: t('spUnknownFix', { command }), commands: [command] };
    }
    case 'repositoryToken/tokenDisabled': {
      const command = `wharf token update -n ${user} -r ${registry} --status enabled`;
      return { cause: t('tokenDisabledCause', { token: user, registry, detail }), fix: t('tokenDisabledFix', { command }), commands: [command] };
    }
    case 'repositoryToken/passwordExpired': {
      const command = `wharf token credential generate -n ${user} -r ${registry} --password1 --expiration-in-days 90`;
      return {
        cause: t('secretExpiredCause', { detail }),
        fix: t('tokenPasswordExpiredFix', { token: user, registry, password: 'password1' }),
        commands: [command],
        expired: true,
      };
    }
    case 'repositoryToken/invalidCredentials': {
      if (credential.tokenExists === false) {
        const command = `wharf token list -r ${registry}`;
        return { cause: t('userUnknownCause', { user, registry, detail }), fix: t('userUnknownFix', { command, registry }), commands: [command] };
      }
      if (credential.tokenExists === true) {
        const command = `wharf token credential generate -n ${user} -r ${registry} --password1`;
        return { cause: t('tokenPasswordCause', { token: user, registry, detail }), fix: t('tokenPasswordWrongFix', { command }), commands: [command] };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The error of a refused token request, by status and body. */
async function refuse(context: HealthContext, target: RegistryTarget, credential: DataPlaneCredential, step: TokenStep, answer: HttpAnswer): Promise<never> {
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
  if (answer.status === 403 && clientIpOf(detail)) await networkForbidden(context, target, answer, check);
  const refusal = refusalOf(answer);
  if (answer.status === 401 && credential.kind === 'password' && refusal) {
    const known = passwordFix(context, target, credential, refusal, detail);
    if (known) {
      throw log.fail({
        check: known.expired ? 'credentials' : check,
        code: known.expired ? 'CREDENTIALS_EXPIRED_ERROR' : step === 'refresh' ? 'CONNECTIVITY_REFRESH_TOKEN_ERROR' : 'CONNECTIVITY_ACCESS_TOKEN_ERROR',
        message: known.expired
          ? t('tokenPasswordExpiredError', { who: credential.username })
          : t('tokenDeniedError', { host: target.authority, status: String(answer.status) }),
        cause: known.cause,
        fix: known.fix,
        commands: known.commands,
        details: { status: answer.status, body: detail, ...refusal },
      });
    }
  }
  // A server without structured refusals: its English is the only hint.
  if (answer.status === 401 && !refusal && /expired/i.test(detail)) {
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

async function send(context: HealthContext, target: RegistryTarget, step: TokenStep, call: () => Promise<HttpAnswer>): Promise<HttpAnswer> {
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
    const exchanged = await send(context, target, 'refresh', () =>
      connection.http.postForm(tokenPath(realm, '/oauth2/exchange', connection), {
        grant_type: 'access_token',
        service,
        tenant: credential.tenant,
        access_token: credential.entraToken,
      }),
    );
    const refreshToken = exchanged.json<{ refresh_token?: string }>()?.refresh_token;
    if (exchanged.status !== 200 || !refreshToken) return refuse(context, target, credential, 'refresh', exchanged);
    log.ok('token-exchange', t('refreshOk', { host: target.authority }));
    answer = await send(context, target, 'access', () =>
      connection.http.postForm(tokenUrl, { grant_type: 'refresh_token', service, scope: scopeString(scope), refresh_token: refreshToken }),
    );
  } else {
    answer = await send(context, target, 'access', () =>
      connection.http.postForm(tokenUrl, {
        grant_type: 'password',
        service,
        scope: scopeString(scope),
        username: credential.username,
        password: credential.password,
      }),
    );
  }
  const accessToken = answer.json<{ access_token?: string }>()?.access_token;
  if (answer.status !== 200 || !accessToken) return refuse(context, target, credential, 'access', answer);
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
  const command =
    credential.kind === 'entra'
      ? `wharf role assignment create --assignee ${credential.assignee} --role AcrPull -r ${target.name}${repository ? ` --repository ${repository}` : ''}`
      : credential.scopeMap
        ? `wharf scope-map update -n ${credential.scopeMap} -r ${target.name} --add-repository ${repository ?? '<repository>'} content/read`
        : undefined;
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
        : t('permissionScopeMapCause', {
            who,
            action: scope.action,
            target: repository ?? scope.name,
            registry: target.name,
            actions: actions.join(',') || '-',
          }),
    fix,
    commands: command ? [command] : undefined,
    details: { scope: scopeString(scope), granted: actions },
  });
}
