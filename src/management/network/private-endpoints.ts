/**
 * Microsoft.Network/privateEndpoints: a private endpoint joins a subnet, gets a listener
 * address from it and the server's own port, and carries one connection to a registry. The
 * rules (address allocation within config `network.privateEndpointRanges`, quota, approval, an
 * endpoint never moves) are the private endpoint service's (src/domain/private-endpoint-service.ts);
 * these handlers address and authorize the endpoint, parse the body and render. The connection
 * is Approved at once when the caller used privateLinkServiceConnections and may write the
 * registry (ACR's auto-approval), Pending otherwise. After a change the listeners are
 * reconciled, and a bind failure shows as provisioningState Failed with its cause.
 */
import { type PrivateEndpointRecord } from '../../storage/metadata/network-records.js';
import { armErrors, armReason } from '../../kernel/arm-errors.js';
import { addressedGroup, addressedScope, collection, created, type ManagementContext, type ManagementResult, type ManagementServices, ok } from '../context.js';
import { type EndpointRequest, JOIN_SUBNET_ACTION } from '../../domain/private-endpoint-service.js';
import {
  isObject,
  optionalArray,
  optionalObject,
  optionalString,
  optionalStringArray,
  propertiesOf,
  requiredString,
  type JsonObject,
} from '../../kernel/json-body.js';
import { listFilteredByVisibility, onResource, type RouteSpec } from '../route-table.js';
import { normalizeLocation } from '../resources/registries.js';
import { registryDnsNameOf } from '../resources/registry-view.js';
import { PES_IN_GROUP, PES_IN_SUBSCRIPTION, PE_PATH, PRIVATE_ENDPOINT_TYPE, parseSubnetId, resourceId, storeKey } from '../../domain/network-ids.js';
import { privateEndpointJson, type ListenerProblem } from './network-views.js';

/** What this module uses of the management plane's services (context.ts): nothing else is in reach. */
type HandlerServices = Pick<ManagementServices, 'config' | 'network' | 'privateEndpointService' | 'store'>;
type HandlerContext = ManagementContext<HandlerServices>;

const actions = {
  read: `${PRIVATE_ENDPOINT_TYPE}/read`,
  write: `${PRIVATE_ENDPOINT_TYPE}/write`,
  delete: `${PRIVATE_ENDPOINT_TYPE}/delete`,
};

/** A bind failure of the endpoint's listener on this node, shown as provisioningState Failed. */
function listenerProblem(services: HandlerServices, id: string): ListenerProblem | undefined {
  const status = services.network.listeners.status(id);
  return !status.listening && status.error ? { error: status.error } : undefined;
}

/** After a change to endpoints: caches hear of it (the gate forgets), listeners open or close. */
export async function afterEndpointChange(services: HandlerServices, registry?: string): Promise<void> {
  await services.privateEndpointService.changed(registry);
}

async function privateEndpointView(services: HandlerServices, endpoint: PrivateEndpointRecord): Promise<Record<string, unknown>> {
  const registry = await services.store.registries.get(endpoint.registry);
  const replications = registry ? await services.store.network.replications(registry.name) : [];
  const subnetAddress = parseSubnetId(endpoint.subnetId);
  const vnet = subnetAddress ? await services.store.network.virtualNetwork(subnetAddress.vnetId) : undefined;
  const subnet = await services.store.network.subnet(endpoint.subnetId);
  return privateEndpointJson(
    endpoint,
    { vnet, name: subnet?.name ?? subnetAddress?.subnet ?? '' },
    {
      registry,
      replications,
      loginServer: registry ? registryDnsNameOf(registry, services.config.domain) : undefined,
      domain: services.config.domain,
      problem: listenerProblem(services, endpoint.id),
    },
  );
}

interface RequestedConnection {
  manual: boolean;
  registryId: string;
  requestMessage: string;
}

function connectionOf(properties: JsonObject): RequestedConnection {
  const auto = optionalArray(properties, 'privateLinkServiceConnections', 'properties.privateLinkServiceConnections') ?? [];
  const manual = optionalArray(properties, 'manualPrivateLinkServiceConnections', 'properties.manualPrivateLinkServiceConnections') ?? [];
  if (auto.length + manual.length !== 1) {
    throw armErrors.invalidParameter('properties.privateLinkServiceConnections', armReason('endpointOneConnection', { count: auto.length + manual.length }));
  }
  const isManual = manual.length === 1;
  const path = isManual ? 'properties.manualPrivateLinkServiceConnections[0]' : 'properties.privateLinkServiceConnections[0]';
  const entry = (isManual ? manual[0] : auto[0]) as unknown;
  if (!isObject(entry)) throw armErrors.invalidRequestContent(armReason('mustBeObject', { path }), path);
  const connection = propertiesOf(entry);
  const registryId = requiredString(connection, 'privateLinkServiceId', `${path}.properties.privateLinkServiceId`);
  const groupIds = optionalStringArray(connection, 'groupIds', `${path}.properties.groupIds`) ?? ['registry'];
  if (groupIds.length !== 1 || groupIds[0]!.toLowerCase() !== 'registry') {
    throw armErrors.invalidParameter(`${path}.properties.groupIds`, armReason('groupIdRegistry', { got: String(JSON.stringify(groupIds)) }));
  }
  return { manual: isManual, registryId, requestMessage: optionalString(connection, 'requestMessage', `${path}.properties.requestMessage`) ?? '' };
}

function explicitAddress(properties: JsonObject): string | undefined {
  const configs = optionalArray(properties, 'ipConfigurations', 'properties.ipConfigurations') ?? [];
  const first = configs[0];
  if (first === undefined) return undefined;
  if (!isObject(first))
    throw armErrors.invalidRequestContent(armReason('mustBeObject', { path: 'properties.ipConfigurations[0]' }), 'properties.ipConfigurations[0]');
  return optionalString(propertiesOf(first), 'privateIPAddress', 'properties.ipConfigurations[0].properties.privateIPAddress')?.trim();
}

/** The endpoint's id as the path spells it: what the dispatcher checks the caller's right over. */
const endpointIdFromParams = (subscriptionId: string, params: Record<string, string>) =>
  resourceId(subscriptionId, params.resourceGroupName!, PRIVATE_ENDPOINT_TYPE, params.privateEndpointName!);

/** Path params → the endpoint's display id and store key, as the dispatcher found and authorized them. */
function addressed(context: HandlerContext) {
  const { subscription, resourceId: id } = addressedScope(context);
  return { subscription, group: addressedGroup(context), id: id!, key: storeKey(id!), name: context.params.privateEndpointName! };
}

async function listEndpoints(context: HandlerContext): Promise<ManagementResult> {
  const { services } = context;
  const { subscription, group } = addressedScope(context);
  const endpoints = await services.store.network.privateEndpoints({ subscriptionId: subscription.id, ...(group ? { resourceGroup: group.name } : {}) });
  const shown: unknown[] = [];
  for (const endpoint of endpoints) {
    if (await context.access.allows(resourceId(endpoint.subscriptionId, endpoint.resourceGroup, PRIVATE_ENDPOINT_TYPE, endpoint.name), 'read')) {
      shown.push(await privateEndpointView(services, endpoint));
    }
  }
  return collection(shown);
}

async function getEndpoint(context: HandlerContext): Promise<ManagementResult> {
  const where = addressed(context);
  const endpoint = await context.services.store.network.privateEndpoint(where.key);
  if (!endpoint) throw armErrors.resourceNotFound(PRIVATE_ENDPOINT_TYPE, where.name, where.group.name);
  return ok(await privateEndpointView(context.services, endpoint));
}

/** The request's endpoint: location, subnet, its one connection and the address it asks for. */
async function endpointRequestOf(context: HandlerContext): Promise<EndpointRequest> {
  const body = await context.body();
  const properties = propertiesOf(body);
  const location = normalizeLocation(requiredString(body, 'location', 'location'));
  const subnetRef = optionalObject(properties, 'subnet', 'properties.subnet');
  const subnetIdText = subnetRef ? requiredString(subnetRef, 'id', 'properties.subnet.id') : undefined;
  if (!subnetIdText) throw armErrors.invalidRequestContent(armReason('fieldRequired', { path: 'properties.subnet.id' }), 'properties.subnet.id');
  const subnet = parseSubnetId(subnetIdText);
  if (!subnet) throw armErrors.invalidParameter('properties.subnet.id', armReason('notSubnetIdShort', { id: subnetIdText }));
  const connection = connectionOf(properties);
  const wantedAddress = explicitAddress(properties);
  return { location, subnetIdText, subnet, connection, ...(wantedAddress !== undefined ? { wantedAddress } : {}) };
}

async function putEndpoint(context: HandlerContext): Promise<ManagementResult> {
  const { services } = context;
  const where = addressed(context);
  const { endpoint, created: isNew } = await services.privateEndpointService.put(
    { key: where.key, subscriptionId: where.subscription.id, resourceGroup: where.group.name, name: where.name },
    () => endpointRequestOf(context),
    {
      requireJoin: (vnetId) => context.access.require(vnetId, 'write', JOIN_SUBNET_ACTION),
      mayWriteRegistry: (registryId) => context.access.allows(registryId, 'write'),
    },
  );
  const view = await privateEndpointView(services, endpoint);
  return isNew ? created(view) : ok(view);
}

async function deleteEndpoint(context: HandlerContext): Promise<ManagementResult> {
  const where = addressed(context);
  return { status: (await context.services.privateEndpointService.delete(where.key)) ? 200 : 204 };
}

export const privateEndpointRoutes: RouteSpec[] = [
  { id: 'privateEndpoints.listBySubscription', template: PES_IN_SUBSCRIPTION, methods: { GET: { handler: listEndpoints, needs: listFilteredByVisibility } } },
  { id: 'privateEndpoints.listByResourceGroup', template: PES_IN_GROUP, methods: { GET: { handler: listEndpoints, needs: listFilteredByVisibility } } },
  {
    id: 'privateEndpoints.privateEndpoint',
    template: PE_PATH,
    methods: {
      GET: { handler: getEndpoint, needs: onResource('read', actions.read, endpointIdFromParams) },
      PUT: { handler: putEndpoint, needs: onResource('write', actions.write, endpointIdFromParams) },
      DELETE: { handler: deleteEndpoint, needs: onResource('write', actions.delete, endpointIdFromParams) },
    },
  },
];
