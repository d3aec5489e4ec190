/**
 * `wharf check-pull` (the job of `az aks check-acr`): can this identity
 * pull REPO from this address? The identity signs in as it would on its node — a service
 * principal with client_credentials at the identity plane, a managed identity at the
 * IMDS-compatible endpoint, or a repository token's username and password — then the real
 * connectivity steps, the real exchange and the real `/oauth2/token` for `repository:REPO:pull`,
 * and the grant is read from the access token. A tag list read confirms the repository exists.
 * No layer is downloaded.
 */
import { Agent, request } from 'undici';
import type { ManagementClient } from '../management-client.js';
import type { Profile } from '../profile.js';
import type { Language } from '../../i18n/index.js';
import { healthContext, guarded } from './check-health.js';
import { checkConnection } from './connectivity.js';
import { authorityOf, type HealthContext, type RegistryTarget } from './context.js';
import { SkipRest, StopRun } from './finding-log.js';
import { errorMessageOf } from './probes/registry-http.js';
import { lookUpRegistry } from './registry-lookup.js';
import { checkTokenExpiry } from './credential-expiry.js';
import { endpointLoader } from './private-endpoint-facts.js';
import { reportOf, type Report } from './report.js';
import { checkGrant, fetchAccessToken, type DataPlaneCredential, type ScopeWanted } from './token-checks.js';

export type PullIdentity =
  | { kind: 'service-principal'; appId: string; secret: string; tenant: string }
  | { kind: 'managed-identity'; clientId?: string }
  | { kind: 'token'; username: string; password: string }
  | { kind: 'profile' };

interface CheckPullOptions {
  registry: string;
  repository: string;
  identity: PullIdentity;
  /** HOST[:PORT] to reach instead of the login server (a private endpoint's name, a replica). */
  address?: string;
  timeoutMs: number;
  language: Language;
  env: NodeJS.ProcessEnv;
  ca?: string;
  caFile?: string;
}

const ARM_SCOPE = 'https://management.azure.com/.default';
const ARM_RESOURCE = 'https://management.azure.com';

interface OAuthAnswer {
  status: number;
  body: { access_token?: string; error?: string; error_description?: string; error_codes?: number[] } | undefined;
}

async function identityPlane(
  profile: Profile,
  ca: string | undefined,
  timeoutMs: number,
  path: string,
  init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string },
): Promise<OAuthAnswer> {
  const agent = new Agent({ connect: ca ? { ca } : {} });
  try {
    const response = await request(new URL(path, profile.server).toString(), { ...init, dispatcher: agent, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    const text = await response.body.text();
    let body: OAuthAnswer['body'];
    try {
      body = JSON.parse(text);
    } catch {
      body = { error: `HTTP${response.statusCode}`, error_description: text.slice(0, 300) };
    }
    return { status: response.statusCode, body };
  } finally {
    await agent.close().catch(() => {});
  }
}

/** The identity's Entra token for ARM, as it would get it on its node; the credential for the data plane. */
async function signIn(
  context: HealthContext,
  profile: Profile,
  target: RegistryTarget,
  identity: PullIdentity,
  client: ManagementClient,
): Promise<DataPlaneCredential> {
  const { t, log } = context;
  if (identity.kind === 'token') {
    const token = await checkTokenExpiry(context, client, target, identity.username);
    return { kind: 'password', username: identity.username, password: identity.password, scopeMap: token.scopeMap, tokenExists: token.exists };
  }
  if (identity.kind === 'profile') {
    const token = await client.token(ARM_RESOURCE);
    log.ok('sign-in', t('signInOk', { who: profile.clientId }));
    return { kind: 'entra', who: profile.clientId, assignee: profile.clientId, entraToken: token, tenant: profile.tenantId };
  }
  let answer: OAuthAnswer;
  let who: string;
  try {
    if (identity.kind === 'service-principal') {
      who = identity.appId;
      answer = await identityPlane(profile, context.ca, context.timeoutMs, `/${encodeURIComponent(identity.tenant)}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: identity.appId, client_secret: identity.secret, scope: ARM_SCOPE }).toString(),
      });
    } else {
      who = identity.clientId ?? t('systemAssigned');
      const query = new URLSearchParams({
        'api-version': '2018-02-01',
        resource: ARM_RESOURCE,
        ...(identity.clientId ? { client_id: identity.clientId } : {}),
      });
      answer = await identityPlane(profile, context.ca, context.timeoutMs, `/metadata/identity/oauth2/token?${query}`, {
        method: 'GET',
        headers: { Metadata: 'true' },
      });
    }
  } catch (error) {
    throw log.fail({
      check: 'sign-in',
      code: 'ENTRA_SIGN_IN_ERROR',
      message: t('entraLoginError', { who: identity.kind === 'service-principal' ? identity.appId : (identity.clientId ?? '') }),
      cause: t('tokenNetworkCause', { detail: (error as Error).message }),
      fix: t('identityPlaneFix', { server: profile.server }),
    });
  }
  const token = answer.body?.access_token;
  if (answer.status !== 200 || !token) {
    // Entra's description is several lines (the AADSTS message, then trace and correlation ids):
    // the message is the cause; the rest, in order, goes with the details.
    const [first = '', ...rest] = (answer.body?.error_description ?? '')
      .split(/\r\n|\r|\n/)
      .map((l) => l.trim())
      .filter(Boolean);
    const detail = first || answer.body?.error || `HTTP ${answer.status}`;
    const codes = answer.body?.error_codes ?? [];
    const details = { status: answer.status, error: answer.body?.error, errorCodes: codes, ...(rest.length > 0 ? { trace: rest } : {}) };
    const reset = `wharf sp credential reset --id ${who} --append`;
    if (codes.includes(7000222)) {
      throw log.fail({
        check: 'credentials',
        code: 'CREDENTIALS_EXPIRED_ERROR',
        message: t('secretExpiredError', { who }),
        cause: t('secretExpiredCause', { detail }),
        fix: t('spSecretExpiredFix', { appId: who }),
        commands: [reset],
        details,
      });
    }
    const spFix = codes.includes(700016) ? t('spUnknownFix', { command: 'wharf sp list' }) : t('spSecretFix', { command: reset, appId: who });
    throw log.fail({
      check: 'sign-in',
      code: 'ENTRA_SIGN_IN_ERROR',
      message: t('entraLoginError', { who }),
      cause: t('entraSignInCause', { detail }),
      fix: identity.kind === 'service-principal' ? spFix : t('miLoginFix', { registry: target.name }),
      commands: identity.kind === 'service-principal' ? [codes.includes(700016) ? 'wharf sp list' : reset] : undefined,
      details,
    });
  }
  log.ok('sign-in', t('signInOk', { who }));
  const tenant = identity.kind === 'service-principal' ? identity.tenant : (tenantOf(token) ?? profile.tenantId);
  return { kind: 'entra', who, assignee: identity.kind === 'service-principal' ? identity.appId : (oidOf(token) ?? who), entraToken: token, tenant };
}

function claimsOf(token: string): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
  } catch {
    return {};
  }
}

function tenantOf(token: string): string | undefined {
  const tid = claimsOf(token).tid;
  return typeof tid === 'string' ? tid : undefined;
}

function oidOf(token: string): string | undefined {
  const oid = claimsOf(token).oid;
  return typeof oid === 'string' ? oid : undefined;
}

/** `--address host[:port]` over the registry's own target. */
function withAddress(target: RegistryTarget, address: string | undefined): RegistryTarget {
  if (!address) return target;
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(address.trim());
  if (!match) throw new Error(`--address '${address}' is not HOST or HOST:PORT`);
  const host = match[1]!.replace(/^\[|\]$/g, '').toLowerCase();
  const port = match[2] ? Number(match[2]) : target.port;
  return { ...target, host, port, authority: authorityOf(host, port, target.scheme) };
}

export async function checkPull(client: ManagementClient, profile: Profile, options: CheckPullOptions): Promise<Report> {
  const context = healthContext({ ...options, ignoreErrors: false });
  const { t, log } = context;
  try {
    const { target: registryTarget } = await lookUpRegistry(context, client, profile, options.registry);
    const target = withAddress(registryTarget, options.address);
    context.endpoints = endpointLoader(client, target);
    await guarded(context, 'connectivity', async () => {
      // An Entra identity is judged by the firewall when it presents its token, as the SDKs do.
      const entra = options.identity.kind !== 'token';
      const connection = await checkConnection(context, target, entra ? { challengePath: `/v2/${options.repository}/tags/list` } : {});
      try {
        const credential = await signIn(context, profile, target, options.identity, client);
        const scope: ScopeWanted = { type: 'repository', name: options.repository, action: 'pull' };
        const accessToken = await fetchAccessToken(context, target, connection, credential, scope);
        checkGrant(context, target, credential, scope, accessToken);
        const tags = await connection.http.get(`/v2/${options.repository}/tags/list?n=5`, { authorization: `Bearer ${accessToken}` });
        if (tags.status === 404) {
          throw log.fail({
            check: 'repository',
            code: 'IMAGE_NOT_FOUND_ERROR',
            message: t('repositoryNotFoundError', { repository: options.repository, host: target.authority }),
            cause: t('repositoryMissingCause', { repository: options.repository, registry: target.name, detail: errorMessageOf(tags) }),
            fix: t('repositoryMissingFix', { registry: target.name }),
          });
        }
        if (tags.status === 200) {
          const list = tags.json<{ tags?: string[] | null }>()?.tags ?? [];
          log.ok('repository', t('repositoryOk', { repository: options.repository, tags: list.join(', ') || '-' }));
        }
        log.info('summary', t('canPull', { repository: options.repository, host: target.authority }));
      } finally {
        await connection.http.close();
      }
    });
  } catch (error) {
    if (!(error instanceof StopRun) && !(error instanceof SkipRest)) throw error;
  }
  return reportOf('check-pull', options.language, log.findings);
}
