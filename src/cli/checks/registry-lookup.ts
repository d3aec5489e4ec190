/**
 * Step 0 of check-health: the registry through ARM, as az's
 * get_registry_by_name does (by name across the subscription). When it is not there, say why:
 * the subscription has not registered Microsoft.ContainerRegistry (no registry can be there),
 * or the name is wrong (with the registries of similar names, and where a registry of that name
 * lives if the profile's identity sees it in another subscription). A profile whose client
 * secret expired fails here first.
 */
import { ApiError, type ManagementClient } from '../management-client.js';
import { providerPath, registriesPath } from '../arm-ids.js';
import type { Profile } from '../profile.js';
import { authorityOf, type HealthContext, type RegistryTarget } from './context.js';
import { closest } from './similar-names.js';

interface RegistryResource {
  id: string;
  name: string;
  properties?: {
    loginServer?: string;
    publicNetworkAccess?: string;
    dataEndpointEnabled?: boolean;
    dataEndpointHostNames?: string[];
    privateEndpointConnections?: {
      name?: string;
      properties?: { privateEndpoint?: { id?: string }; privateLinkServiceConnectionState?: { status?: string } };
    }[];
  };
}

/** AADSTS7000222: the client secret has expired (the identity plane's and Entra's code). */
export function isExpiredSecret(error: unknown): boolean {
  return error instanceof ApiError && /7000222/.test(`${error.code} ${error.detail}`);
}

function targetOf(registry: RegistryResource, profile: Profile): RegistryTarget {
  const server = new URL(profile.server);
  const scheme = server.protocol === 'http:' ? 'http' : 'https';
  const loginServer = (registry.properties?.loginServer ?? registry.name).toLowerCase();
  const explicitPort = /:(\d+)$/.exec(loginServer)?.[1];
  const host = loginServer.replace(/:\d+$/, '');
  // Wharf serves every login server on its own port: the profile's, unless the login server names one.
  const port = Number(explicitPort ?? (server.port || (scheme === 'https' ? 443 : 80)));
  return {
    name: registry.name,
    id: registry.id,
    host,
    port,
    scheme,
    authority: authorityOf(host, port, scheme),
    publicNetworkAccess: registry.properties?.publicNetworkAccess,
    dataHosts: registry.properties?.dataEndpointEnabled
      ? (registry.properties.dataEndpointHostNames ?? []).map((h) => h.replace(/:\d+$/, '').toLowerCase())
      : [],
    serverAddress: server.hostname.replace(/^\[|\]$/g, ''),
    privateEndpointIds: (registry.properties?.privateEndpointConnections ?? []).map((c) => c.properties?.privateEndpoint?.id ?? '').filter(Boolean),
    privateEndpointConnections: (registry.properties?.privateEndpointConnections ?? [])
      .filter((c) => c.properties?.privateEndpoint?.id)
      .map((c) => ({
        name: c.name ?? '',
        endpointId: c.properties!.privateEndpoint!.id!,
        status: c.properties?.privateLinkServiceConnectionState?.status ?? 'Unknown',
      })),
  };
}

export async function lookUpRegistry(
  context: HealthContext,
  client: ManagementClient,
  profile: Profile,
  name: string,
): Promise<{ target: RegistryTarget; registry: RegistryResource }> {
  const { t, log } = context;
  const subscription = profile.subscriptionId;
  let registries: RegistryResource[];
  try {
    registries = await client.list<RegistryResource>(registriesPath(subscription));
  } catch (error) {
    if (isExpiredSecret(error)) {
      throw log.fail({
        check: 'credentials',
        code: 'CREDENTIALS_EXPIRED_ERROR',
        message: t('secretExpiredError', { who: profile.clientId }),
        cause: t('secretExpiredCause', { detail: (error as ApiError).detail }),
        fix: t('profileSecretExpiredFix', { appId: profile.clientId }),
        details: { appId: profile.clientId },
      });
    }
    if (error instanceof ApiError && error.status === 429) {
      // The server throttles failed sign-ins per address: the profile's own sign-in is refused too.
      const seconds = /(\d+) seconds/.exec(error.detail)?.[1] ?? '60';
      throw log.fail({
        check: 'registry',
        code: 'CONNECTIVITY_TOOMANYREQUESTS_ERROR',
        message: t('tooManySignInsError', { host: new URL(profile.server).host }),
        cause: t('tooManyRequestsCause', { seconds, detail: error.detail.split(/\r?\n/)[0]! }),
        fix: t('tooManyRequestsFix', { seconds, registry: name }),
        details: { status: 429, retryAfter: seconds },
      });
    }
    throw log.fail({
      check: 'registry',
      code: 'LOGIN_SERVER_ERROR',
      message: t('loginServerError', { name }),
      cause: t('armFailedCause', { detail: (error as Error).message }),
      fix: t('armFailedFix'),
    });
  }
  const registry = registries.find((r) => r.name.toLowerCase() === name.toLowerCase());
  if (registry) {
    const target = targetOf(registry, profile);
    log.ok('registry', t('registryFound', { name: registry.name, loginServer: target.authority }), { id: registry.id, loginServer: target.authority });
    return { target, registry };
  }

  // Not found: is the provider registered here? Is the registry in another subscription?
  let state: string | undefined;
  try {
    state = (await client.get<{ registrationState?: string }>(providerPath(subscription, 'Microsoft.ContainerRegistry')))?.registrationState;
  } catch {
    state = undefined;
  }
  const elsewhere = await findElsewhere(client, subscription, name);
  if (state !== undefined && state !== 'Registered') {
    throw log.fail({
      check: 'registry',
      code: 'PROVIDER_NOT_REGISTERED_ERROR',
      message: t('providerNotRegisteredError', { subscription, state }),
      cause: elsewhere ? t('providerCauseElsewhere', { name, subscription, other: elsewhere }) : t('providerCause', { name, subscription }),
      fix: elsewhere ? t('providerFixElsewhere', { subscription, other: elsewhere }) : t('providerFix', { subscription }),
      details: { subscription, registrationState: state, ...(elsewhere ? { registrySubscription: elsewhere } : {}) },
    });
  }
  const similar = closest(
    name,
    registries.map((r) => r.name),
    3,
  );
  // ARM lists only the registries the identity may read: one it has no role on is invisible, not absent.
  const grant = `wharf role assignment create --assignee ${profile.clientId} --role Reader -r ${name}`;
  const unseen = !elsewhere && similar.length === 0;
  throw log.fail({
    check: 'registry',
    code: 'LOGIN_SERVER_ERROR',
    message: t('loginServerError', { name }),
    cause: elsewhere
      ? t('loginServerElsewhereCause', { name, subscription, other: elsewhere })
      : similar.length > 0
        ? t('loginServerSimilarCause', { name, subscription, names: similar.join(', ') })
        : t('loginServerCause', { name, subscription, who: profile.clientId }),
    fix: elsewhere
      ? t('loginServerElsewhereFix', { name, other: elsewhere })
      : similar.length > 0
        ? t('loginServerSimilarFix', { similar: similar[0]! })
        : t('loginServerFix', { command: grant, name, who: profile.clientId }),
    ...(unseen ? { commands: [grant] } : {}),
    details: { subscription, similar },
  });
}

/** The subscription (other than `current`) where the identity sees a registry named `name`. */
async function findElsewhere(client: ManagementClient, current: string, name: string): Promise<string | undefined> {
  try {
    const subscriptions = await client.list<{ subscriptionId: string }>('/subscriptions');
    for (const { subscriptionId } of subscriptions) {
      if (subscriptionId.toLowerCase() === current.toLowerCase()) continue;
      const found = (await client.list<RegistryResource>(registriesPath(subscriptionId)).catch(() => [])).some(
        (r) => r.name.toLowerCase() === name.toLowerCase(),
      );
      if (found) return subscriptionId;
    }
  } catch {
    // Not allowed to list subscriptions: nothing more to say.
  }
  return undefined;
}
