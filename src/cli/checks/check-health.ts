/**
 * `wharf check-health`: az acr check-health's order — registry via
 * ARM, environment, connectivity, tokens, image, private endpoint DNS — with Wharf's further
 * steps (proxy CONNECT, TCP, TLS issuer, clock skew, permissions, credential expiry, data
 * endpoints). Stops at the first error unless ignoreErrors. Pure of printing: returns a Report.
 */
import { ARM_RESOURCE, type ManagementClient } from '../management-client.js';
import type { Profile } from '../profile.js';
import type { Language } from '../../i18n/index.js';
import { checkConnection } from './connectivity.js';
import type { HealthContext, RegistryTarget } from './context.js';
import { checkSecretExpiry, checkTokenExpiry } from './credential-expiry.js';
import { checkDataEndpoints } from './data-endpoints.js';
import { checkEnvironment } from './environment.js';
import { FindingLog, group, SkipRest, StopRun } from './finding-log.js';
import { checkImage } from './image-checks.js';
import { checkLoginServerReach } from './login-server-reach.js';
import { healthTranslator } from './messages/health-messages.js';
import { checkPrivateEndpointDns } from './private-endpoint-dns.js';
import { endpointLoader } from './private-endpoint-facts.js';
import { isExpiredSecret, lookUpRegistry } from './registry-lookup.js';
import { reportOf, type Report } from './report.js';
import { checkGrant, fetchAccessToken, type DataPlaneCredential, type ScopeWanted } from './token-checks.js';

interface CheckHealthOptions {
  registry: string;
  vnet?: string;
  repository?: string;
  image?: string;
  username?: string;
  password?: string;
  ignoreErrors: boolean;
  /** Skip the environment checks (docker, podman, skopeo, helm). */
  skipEnvironment?: boolean;
  timeoutMs: number;
  language: Language;
  env: NodeJS.ProcessEnv;
  ca?: string;
  caFile?: string;
}

export function healthContext(options: {
  language: Language;
  ignoreErrors: boolean;
  timeoutMs: number;
  env: NodeJS.ProcessEnv;
  ca?: string;
  caFile?: string;
}): HealthContext {
  return {
    t: healthTranslator(options.language),
    language: options.language,
    log: new FindingLog(options.ignoreErrors),
    timeoutMs: options.timeoutMs,
    env: options.env,
    ca: options.ca,
    caFile: options.caFile,
  };
}

/** An unexpected failure of a check (a bug, a server answering nonsense) as UNEXPECTED_ERROR, not a crash. */
export async function guarded(context: HealthContext, check: string, body: () => Promise<void>): Promise<void> {
  try {
    await group(body);
  } catch (error) {
    if (error instanceof StopRun) throw error;
    throw context.log.fail({
      check,
      code: 'UNEXPECTED_ERROR',
      message: context.t('unexpectedError'),
      cause: (error as Error).message,
      fix: context.t('unexpectedFix'),
    });
  }
}

async function entraCredential(context: HealthContext, client: ManagementClient, profile: Profile, target: RegistryTarget): Promise<DataPlaneCredential> {
  try {
    return { kind: 'entra', who: profile.clientId, assignee: profile.clientId, entraToken: await client.token(ARM_RESOURCE), tenant: profile.tenantId };
  } catch (error) {
    if (isExpiredSecret(error)) {
      throw context.log.fail({
        check: 'credentials',
        code: 'CREDENTIALS_EXPIRED_ERROR',
        message: context.t('secretExpiredError', { who: profile.clientId }),
        cause: context.t('secretExpiredCause', { detail: (error as Error).message }),
        fix: context.t('profileSecretExpiredFix', { appId: profile.clientId }),
      });
    }
    throw context.log.fail({
      check: 'token-exchange',
      code: 'ENTRA_SIGN_IN_ERROR',
      message: context.t('entraLoginError', { who: profile.clientId }),
      cause: context.t('tokenDeniedCause', { detail: (error as Error).message }),
      fix: context.t('tokenEntraFix', { assignee: profile.clientId, registry: target.name }),
    });
  }
}

export async function checkHealth(client: ManagementClient, profile: Profile, options: CheckHealthOptions): Promise<Report> {
  const context = healthContext({ ...options });
  const { t, log } = context;
  try {
    const { target, registry } = await lookUpRegistry(context, client, profile, options.registry);
    await guarded(context, 'login-server', () => checkLoginServerReach(context, target, (registry.properties?.loginServer ?? registry.name).toLowerCase()));
    context.endpoints = endpointLoader(client, target);
    if (!options.username) await checkSecretExpiry(context, client, profile.clientId, profile.clientSecret);
    if (!options.skipEnvironment) await guarded(context, 'environment', () => checkEnvironment(context));

    await guarded(context, 'connectivity', async () => {
      const connection = await checkConnection(context, target);
      try {
        const token = options.username ? await checkTokenExpiry(context, client, target, options.username) : {};
        const credential: DataPlaneCredential = options.username
          ? { kind: 'password', username: options.username, password: options.password ?? '', scopeMap: token.scopeMap, tokenExists: token.exists }
          : await entraCredential(context, client, profile, target);
        const scope: ScopeWanted = options.repository
          ? { type: 'repository', name: options.repository, action: 'pull' }
          : { type: 'registry', name: 'catalog', action: '*' };
        const accessToken = await fetchAccessToken(context, target, connection, credential, scope);
        // A repository token without --repository is not meant to list the catalog.
        if (options.repository || credential.kind === 'entra') checkGrant(context, target, credential, scope, accessToken);
        if (options.repository && options.image) {
          await guarded(context, 'image', () => checkImage(context, target, connection, accessToken, options.repository!, options.image!));
        }
      } finally {
        await connection.http.close();
      }
    });
    if (target.dataHosts.length > 0) await guarded(context, 'data-endpoint', () => checkDataEndpoints(context, target));
    if (options.vnet) await guarded(context, 'private-endpoint', () => checkPrivateEndpointDns(context, client, target, options.vnet!));
    if (!log.failed) log.info('summary', t('allChecksPassed', { registry: target.name }));
  } catch (error) {
    // A registry that cannot be found ends the run even with --ignore-errors: nothing else can be checked.
    if (!(error instanceof StopRun) && !(error instanceof SkipRest)) throw error;
  }
  return reportOf('check-health', options.language, log.findings);
}
