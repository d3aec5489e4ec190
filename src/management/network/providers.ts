/**
 * Resource providers per subscription (`az provider list/show/register/unregister`): which
 * namespaces a subscription may use. The installation's own subscription has every namespace
 * Registered unless the store says otherwise; a subscription created later (an alias) starts
 * with Microsoft.ContainerRegistry NotRegistered, as a fresh Azure subscription does, which is
 * what makes a VNet rule on one of its subnets fail with ACR's "Could not validate network rule".
 * Registration completes at once (state Registered), so `az provider register --wait` returns.
 */
import type { ProviderState } from '../../storage/metadata/network-records.js';
import { armErrors, armReason } from '../../kernel/arm-errors.js';
import { addressedScope, collection, type ManagementContext, type ManagementResult, type ManagementServices, ok } from '../context.js';
import { onSubscription, type RouteSpec } from '../route-table.js';
import { SUBSCRIPTION_PATH, subscriptionScope } from '../resources/lookup.js';
import { AUTHORIZATION_API_VERSIONS, CONTAINER_REGISTRY_API_VERSIONS } from '../api-versions.js';
import { CONTAINER_REGISTRY_NAMESPACE } from '../../domain/network-ids.js';

/** What this module uses of the management plane's services (context.ts): nothing else is in reach. */
type HandlerServices = Pick<ManagementServices, 'arm' | 'events' | 'store'>;
type HandlerContext = ManagementContext<HandlerServices>;

interface ProviderSpec {
  namespace: string;
  resourceTypes: string[];
  apiVersions: string[];
}

/** The namespaces Wharf serves, with their resource types. */
const PROVIDERS: ProviderSpec[] = [
  {
    namespace: CONTAINER_REGISTRY_NAMESPACE,
    resourceTypes: [
      'registries',
      'registries/replications',
      'registries/privateEndpointConnections',
      'registries/privateLinkResources',
      'registries/scopeMaps',
      'registries/tokens',
      'operations',
      'checkNameAvailability',
    ],
    apiVersions: CONTAINER_REGISTRY_API_VERSIONS,
  },
  { namespace: 'Microsoft.Network', resourceTypes: ['virtualNetworks', 'virtualNetworks/subnets', 'privateEndpoints'], apiVersions: ['2023-09-01'] },
  { namespace: 'Microsoft.Authorization', resourceTypes: ['roleAssignments', 'roleDefinitions'], apiVersions: AUTHORIZATION_API_VERSIONS },
  { namespace: 'Microsoft.ManagedIdentity', resourceTypes: ['userAssignedIdentities'], apiVersions: ['2023-01-31'] },
  { namespace: 'Wharf.Network', resourceTypes: ['trustedServices'], apiVersions: ['2023-07-01'] },
  { namespace: 'Wharf.Security', resourceTypes: ['signingKeys'], apiVersions: ['2023-07-01'] },
];

function findProvider(namespace: string): ProviderSpec | undefined {
  return PROVIDERS.find((p) => p.namespace.toLowerCase() === namespace.toLowerCase());
}

/** A namespace's state in a subscription: the stored one, else the default described above. */
export async function providerState(services: Pick<ManagementServices, 'store' | 'arm'>, subscriptionId: string, namespace: string): Promise<ProviderState> {
  const canonical = findProvider(namespace)?.namespace ?? namespace;
  const stored = await services.store.network.providerState(subscriptionId.toLowerCase(), canonical);
  if (stored) return stored;
  if (subscriptionId.toLowerCase() === services.arm.subscriptionId.toLowerCase()) return 'Registered';
  return canonical === CONTAINER_REGISTRY_NAMESPACE ? 'NotRegistered' : 'Registered';
}

async function providerJson(services: HandlerServices, subscriptionId: string, spec: ProviderSpec): Promise<Record<string, unknown>> {
  return {
    id: `${subscriptionScope(subscriptionId)}/providers/${spec.namespace}`,
    namespace: spec.namespace,
    registrationState: await providerState(services, subscriptionId, spec.namespace),
    registrationPolicy: 'RegistrationRequired',
    resourceTypes: spec.resourceTypes.map((resourceType) => ({ resourceType, locations: [], apiVersions: spec.apiVersions })),
  };
}

function requireProvider(namespace: string): ProviderSpec {
  const spec = findProvider(namespace);
  if (!spec) throw armErrors.invalidResourceNamespace(namespace);
  return spec;
}

async function listProviders(context: HandlerContext): Promise<ManagementResult> {
  const subscriptionId = addressedScope(context).subscription.id;
  return collection(await Promise.all(PROVIDERS.map((spec) => providerJson(context.services, subscriptionId, spec))));
}

async function getProvider(context: HandlerContext): Promise<ManagementResult> {
  const subscriptionId = addressedScope(context).subscription.id;
  return ok(await providerJson(context.services, subscriptionId, requireProvider(context.params.providerNamespace!)));
}

async function changeRegistration(context: HandlerContext, state: 'Registered' | 'NotRegistered'): Promise<ManagementResult> {
  const { services } = context;
  const { subscription } = addressedScope(context);
  const spec = requireProvider(context.params.providerNamespace!);
  if (state === 'NotRegistered' && spec.namespace === CONTAINER_REGISTRY_NAMESPACE) {
    const registries = (await services.store.registries.list()).filter((r) => r.subscriptionId.toLowerCase() === subscription.id.toLowerCase());
    if (registries.length > 0) {
      throw armErrors.conflict(
        'Conflict',
        armReason('providerHasRegistries', {
          namespace: spec.namespace,
          subscription: subscription.id,
          registries: registries.map((r) => `'${r.name}'`).join(', '),
        }),
      );
    }
  }
  await services.store.network.setProviderState(subscription.id.toLowerCase(), spec.namespace, state);
  // VNet rules are validated against registrations; the gate's view of subnets does not change.
  services.events.publish({ kind: 'network' });
  return ok(await providerJson(services, subscription.id, spec));
}

/** Any role in the subscription lets a caller read its providers, as on Azure. */
const readProviders = onSubscription('anyRole', 'Microsoft.Resources/subscriptions/providers/read');

/** The action names the namespace as Wharf spells it; an unknown namespace is refused before the right is checked. */
const registrationAction = (verb: 'register' | 'unregister') => (params: Record<string, string>) =>
  `${requireProvider(params.providerNamespace!).namespace}/${verb}/action`;

export const providerRoutes: RouteSpec[] = [
  { id: 'providers.list', template: `${SUBSCRIPTION_PATH}/providers`, methods: { GET: { handler: listProviders, needs: readProviders } } },
  {
    id: 'providers.provider',
    template: `${SUBSCRIPTION_PATH}/providers/{providerNamespace}`,
    methods: { GET: { handler: getProvider, needs: readProviders } },
  },
  {
    id: 'providers.register',
    template: `${SUBSCRIPTION_PATH}/providers/{providerNamespace}/register`,
    methods: { POST: { handler: (c) => changeRegistration(c, 'Registered'), needs: onSubscription('write', registrationAction('register')) } },
  },
  {
    id: 'providers.unregister',
    template: `${SUBSCRIPTION_PATH}/providers/{providerNamespace}/unregister`,
    methods: { POST: { handler: (c) => changeRegistration(c, 'NotRegistered'), needs: onSubscription('write', registrationAction('unregister')) } },
  },
];
