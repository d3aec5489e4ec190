/**
 * The registry side of private link: `…/registries/R/privateEndpointConnections[/{name}]`
 * (list, show, approve or reject with a PUT of privateLinkServiceConnectionState.status,
 * DELETE which leaves the endpoint Disconnected) and `…/registries/R/privateLinkResources`
 * (the one group 'registry', with a member per login server and data endpoint region).
 */
import { registryResourceId } from '../../access/roles.js';
import { registryRegions } from '../../domain/data-endpoint-names.js';
import type { ConnectionStatus } from '../../storage/metadata/network-records.js';
import { armErrors, armReason, armText } from '../../kernel/arm-errors.js';
import { addressedRegistry, collection, type ManagementContext, type ManagementResult, ok, type ManagementServices } from '../context.js';
import { optionalObject, optionalString, propertiesOf, requiredString } from '../../kernel/json-body.js';
import { onRegistry, type RouteSpec } from '../route-table.js';
import { REGISTRY_PATH, REGISTRY_TYPE } from '../resources/lookup.js';
import { activeConnections, connectionJson } from './network-views.js';
import { afterEndpointChange } from './private-endpoints.js';

/** What this module uses of the management plane's services (context.ts): nothing else is in reach. */
type HandlerServices = Pick<ManagementServices, 'config' | 'network' | 'privateEndpointService' | 'store'>;
type HandlerContext = ManagementContext<HandlerServices>;

const actions = {
  read: `${REGISTRY_TYPE}/privateEndpointConnections/read`,
  write: `${REGISTRY_TYPE}/privateEndpointConnections/write`,
  delete: `${REGISTRY_TYPE}/privateEndpointConnections/delete`,
  linkRead: `${REGISTRY_TYPE}/privateLinkResources/read`,
};

async function connectionsOf(context: HandlerContext, registry: string) {
  return activeConnections(await context.services.store.network.privateEndpoints({ registry }));
}

/** The connection the path names, on the registry the dispatcher authorized (undefined: none by that name). */
async function connectionOf(context: HandlerContext) {
  const { registry } = addressedRegistry(context);
  const name = context.params.privateEndpointConnectionName!;
  const endpoint = (await connectionsOf(context, registry.name)).find((e) => e.connectionName.toLowerCase() === name.toLowerCase());
  return { registry, name, endpoint };
}

function notFound(name: string, registry: string) {
  return armErrors.notFound('PrivateEndpointConnectionNotFound', armText('connectionNotFound', { name, registry }));
}

async function listConnections(context: HandlerContext): Promise<ManagementResult> {
  const { registry } = addressedRegistry(context);
  return collection((await connectionsOf(context, registry.name)).map((e) => connectionJson(registry, e)));
}

async function getConnection(context: HandlerContext): Promise<ManagementResult> {
  const { registry, name, endpoint } = await connectionOf(context);
  if (!endpoint) throw notFound(name, registry.name);
  return ok(connectionJson(registry, endpoint));
}

const SETTABLE: ConnectionStatus[] = ['Approved', 'Rejected'];

async function putConnection(context: HandlerContext): Promise<ManagementResult> {
  const { services } = context;
  const { registry, name, endpoint } = await connectionOf(context);
  if (!endpoint) throw notFound(name, registry.name);
  const body = await context.body();
  const state = optionalObject(propertiesOf(body), 'privateLinkServiceConnectionState', 'properties.privateLinkServiceConnectionState');
  if (!state)
    throw armErrors.invalidRequestContent(
      armReason('fieldRequired', { path: 'properties.privateLinkServiceConnectionState' }),
      'properties.privateLinkServiceConnectionState',
    );
  const path = 'properties.privateLinkServiceConnectionState.status';
  const text = requiredString(state, 'status', path);
  const status = SETTABLE.find((s) => s.toLowerCase() === text.toLowerCase());
  if (!status) throw armErrors.invalidParameter(path, armReason('connectionStatus', { text }));
  const description =
    optionalString(state, 'description', 'properties.privateLinkServiceConnectionState.description') ?? (status === 'Approved' ? 'Approved' : 'Rejected');
  await services.store.network.setConnectionState(registry.name, endpoint.connectionName, status, description);
  await afterEndpointChange(services, registry.name);
  return ok(connectionJson(registry, { ...endpoint, status, statusDescription: description }));
}

async function deleteConnection(context: HandlerContext): Promise<ManagementResult> {
  const { services } = context;
  const { registry, endpoint } = await connectionOf(context);
  if (!endpoint) return { status: 204 };
  await services.store.network.setConnectionState(registry.name, endpoint.connectionName, 'Disconnected', 'Removed by the registry owner');
  await afterEndpointChange(services, registry.name);
  return { status: 200 };
}

async function privateLinkResource(context: HandlerContext) {
  const { registry } = addressedRegistry(context);
  const replications = await context.services.store.network.replications(registry.name);
  return {
    id: `${registryResourceId(registry)}/privateLinkResources/registry`,
    name: 'registry',
    type: `${REGISTRY_TYPE}/privateLinkResources`,
    properties: {
      groupId: 'registry',
      requiredMembers: ['registry', ...registryRegions(registry, replications).map((region) => `registry_data_${region}`)],
      requiredZoneNames: [`privatelink.${context.services.config.domain}`],
    },
  };
}

async function listLinkResources(context: HandlerContext): Promise<ManagementResult> {
  return collection([await privateLinkResource(context)]);
}

async function getLinkResource(context: HandlerContext): Promise<ManagementResult> {
  const resource = await privateLinkResource(context);
  const group = context.params.groupName!;
  if (group.toLowerCase() !== 'registry') {
    throw armErrors.notFound('PrivateLinkResourceNotFound', armReason('noPrivateLinkResource', { registry: context.params.registryName!, group }));
  }
  return ok(resource);
}

export const privateEndpointConnectionRoutes: RouteSpec[] = [
  {
    id: 'registries.privateEndpointConnections',
    template: `${REGISTRY_PATH}/privateEndpointConnections`,
    methods: {
      GET: { handler: listConnections, needs: onRegistry('read', actions.read) },
    },
  },
  {
    id: 'registries.privateEndpointConnection',
    template: `${REGISTRY_PATH}/privateEndpointConnections/{privateEndpointConnectionName}`,
    methods: {
      GET: { handler: getConnection, needs: onRegistry('read', actions.read) },
      PUT: { handler: putConnection, needs: onRegistry('write', actions.write) },
      DELETE: { handler: deleteConnection, needs: onRegistry('write', actions.delete) },
    },
  },
  {
    id: 'registries.privateLinkResources',
    template: `${REGISTRY_PATH}/privateLinkResources`,
    methods: {
      GET: { handler: listLinkResources, needs: onRegistry('read', actions.linkRead) },
    },
  },
  {
    id: 'registries.privateLinkResource',
    template: `${REGISTRY_PATH}/privateLinkResources/{groupName}`,
    methods: {
      GET: { handler: getLinkResource, needs: onRegistry('read', actions.linkRead) },
    },
  },
];
