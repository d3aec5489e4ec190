/**
 * Microsoft.Network/virtualNetworks and their subnets: address spaces, subnet prefixes inside
 * them (no two subnets overlapping), and service endpoints (a subnet with
 * Microsoft.ContainerRegistry is what a registry's VNet rule admits). Writes need write on the
 * network's scope. The rules (layout, subnets held by private endpoints or by registries' VNet
 * rules, write on each such registry for new prefixes) are the virtual network service's
 * (src/domain/virtual-network-service.ts); these handlers address and authorize the network,
 * parse the body (zod), call the service, and render.
 */
import { z } from 'zod';
import type { VirtualNetworkRecord } from '../../storage/metadata/network-records.js';
import { armErrors } from '../../kernel/arm-errors.js';
import { isObject } from '../../kernel/json-body.js';
import { type NetworkCaller, type SubnetInput, type VirtualNetworkInput } from '../../domain/virtual-network-service.js';
import { armIssue, armTags, nullable, parseArmBody, requiredText, type ArmIssue } from '../arm-body.js';
import { addressedGroup, addressedScope, collection, created, ok, type ManagementContext, type ManagementResult, type ManagementServices } from '../context.js';
import { listFilteredByVisibility, onResource, type RouteSpec } from '../route-table.js';
import { normalizeLocation } from '../resources/registries.js';
import { SUBNET_PATH, VNETS_IN_GROUP, VNETS_IN_SUBSCRIPTION, VNET_PATH, VNET_TYPE, resourceId, storeKey } from '../../domain/network-ids.js';
import { subnetJson, vnetJson } from './network-views.js';

/** What this module uses of the management plane's services (context.ts): nothing else is in reach. */
type HandlerServices = Pick<ManagementServices, 'store' | 'virtualNetworkService'>;
type HandlerContext = ManagementContext<HandlerServices>;

const actions = {
  read: `${VNET_TYPE}/read`,
  write: `${VNET_TYPE}/write`,
  delete: `${VNET_TYPE}/delete`,
  subnetRead: `${VNET_TYPE}/subnets/read`,
  subnetWrite: `${VNET_TYPE}/subnets/write`,
  subnetDelete: `${VNET_TYPE}/subnets/delete`,
};

/** A value that must be a JSON object, refused with its own reason key otherwise; then read by `schema`. */
function objectThen<T extends z.ZodType>(key: ArmIssue['key'], schema: T, untargeted?: true) {
  return z
    .unknown()
    .superRefine((value, context) => {
      if (!isObject(value)) armIssue(context, { key, ...(untargeted ? { untargeted } : {}) });
    })
    .pipe(schema);
}

/** A properties object that may be left out (read as empty). */
const propertiesObject = <T extends z.ZodType>(schema: T) => z.preprocess((value) => value ?? {}, schema);

/** A subnet's properties: its prefixes from `addressPrefix` or `addressPrefixes` (at least one), and service endpoints. */
const subnetProperties = propertiesObject(
  z
    .object({
      addressPrefix: nullable(z.string()),
      addressPrefixes: nullable(z.array(z.string())),
      serviceEndpoints: nullable(z.array(objectThen('serviceEndpointNotObject', z.object({ service: requiredText }), true))),
    })
    .superRefine((properties, context) => {
      if (!properties.addressPrefix && !properties.addressPrefixes?.length) armIssue(context, { key: 'fieldRequired' }, ['addressPrefix']);
    }),
);

/** A subnet PUT's body. */
export const subnetBody = z.object({ properties: subnetProperties });

/** A virtual network PUT's body. */
export const vnetBody = z.object({
  location: requiredText,
  tags: nullable(armTags),
  properties: propertiesObject(
    z
      .object({
        addressSpace: nullable(z.object({ addressPrefixes: nullable(z.array(z.string())) })),
        subnets: nullable(z.array(objectThen('mustBeObject', z.object({ name: requiredText, properties: subnetProperties })))),
      })
      .superRefine((properties, context) => {
        if (!properties.addressSpace?.addressPrefixes?.length) armIssue(context, { key: 'needsPrefix' }, ['addressSpace', 'addressPrefixes']);
      }),
  ),
});

/** The subnet as the service takes it: prefixes trimmed and without repeats, service endpoints without repeats. */
function subnetInput(name: string, properties: z.infer<typeof subnetProperties>, field: string): SubnetInput {
  const prefixes = [...(properties.addressPrefix ? [properties.addressPrefix] : []), ...(properties.addressPrefixes ?? [])].map((p) => p.trim());
  return {
    name,
    addressPrefixes: [...new Set(prefixes)],
    serviceEndpoints: [...new Set((properties.serviceEndpoints ?? []).map((e) => e.service))],
    field,
  };
}

async function vnetInput(context: HandlerContext): Promise<VirtualNetworkInput> {
  const body = parseArmBody(vnetBody, await context.body());
  const { properties } = body;
  return {
    location: normalizeLocation(body.location),
    addressPrefixes: (properties.addressSpace?.addressPrefixes ?? []).map((p) => p.trim()),
    tags: body.tags ?? {},
    ...(properties.subnets !== undefined
      ? { subnets: properties.subnets.map((entry, index) => subnetInput(entry.name, entry.properties, `properties.subnets[${index}].properties`)) }
      : {}),
  };
}

/** What the service asks of the caller's rights. */
function callerOf(context: HandlerContext): NetworkCaller {
  return { claims: context.caller, mayWriteRegistry: (registryId) => context.access.allows(registryId, 'write') };
}

async function endpointsIn(context: HandlerContext, subnetId: string) {
  return context.services.store.network.privateEndpoints({ subnetId });
}

/** Path params → the vnet's display id and store key, after the access check. */
function addressed(context: HandlerContext) {
  const { subscription, resourceId: id } = addressedScope(context);
  return { subscription, group: addressedGroup(context), id: id!, key: storeKey(id!), name: context.params.virtualNetworkName! };
}

async function requireVnet(context: HandlerContext) {
  const where = addressed(context);
  const vnet = await context.services.store.network.virtualNetwork(where.key);
  if (!vnet) throw armErrors.resourceNotFound(VNET_TYPE, where.name, where.group.name);
  return { ...where, vnet };
}

async function view(context: HandlerContext, vnet: VirtualNetworkRecord): Promise<Record<string, unknown>> {
  const subnets = await context.services.store.network.subnets(vnet.id);
  const endpoints = (await Promise.all(subnets.map((s) => endpointsIn(context, s.id)))).flat();
  return vnetJson(vnet, subnets, endpoints);
}

async function listVnets(context: HandlerContext): Promise<ManagementResult> {
  const { subscription, group } = addressedScope(context);
  const vnets = await context.services.store.network.virtualNetworks({ subscriptionId: subscription.id, ...(group ? { resourceGroup: group.name } : {}) });
  const shown: unknown[] = [];
  for (const vnet of vnets) {
    if (await context.access.allows(resourceId(vnet.subscriptionId, vnet.resourceGroup, VNET_TYPE, vnet.name), 'read')) shown.push(await view(context, vnet));
  }
  return collection(shown);
}

async function getVnet(context: HandlerContext): Promise<ManagementResult> {
  const { vnet } = await requireVnet(context);
  return ok(await view(context, vnet));
}

async function putVnet(context: HandlerContext): Promise<ManagementResult> {
  const where = addressed(context);
  const place = { key: where.key, subscriptionId: where.subscription.id, resourceGroup: where.group.name, name: where.name };
  const { vnet, created: isNew } = await context.services.virtualNetworkService.putNetwork(place, () => vnetInput(context), callerOf(context));
  const shown = await view(context, vnet);
  return isNew ? created(shown) : ok(shown);
}

async function deleteVnet(context: HandlerContext): Promise<ManagementResult> {
  const where = addressed(context);
  return { status: (await context.services.virtualNetworkService.deleteNetwork(where.key)) ? 200 : 204 };
}

async function listSubnets(context: HandlerContext): Promise<ManagementResult> {
  const { vnet } = await requireVnet(context);
  const subnets = await context.services.store.network.subnets(vnet.id);
  const endpoints = (await Promise.all(subnets.map((s) => endpointsIn(context, s.id)))).flat();
  return collection(subnets.map((s) => subnetJson(vnet, s, endpoints)));
}

async function requireSubnet(context: HandlerContext) {
  const where = await requireVnet(context);
  const name = context.params.subnetName!;
  const subnet = await context.services.store.network.subnet(`${where.vnet.id}/subnets/${name.toLowerCase()}`);
  return { ...where, subnetName: name, subnet };
}

async function getSubnet(context: HandlerContext): Promise<ManagementResult> {
  const { vnet, subnet, subnetName, group } = await requireSubnet(context);
  if (!subnet) throw armErrors.resourceNotFound(`${VNET_TYPE}/${vnet.name}/subnets`, subnetName, group.name);
  return ok(subnetJson(vnet, subnet, await endpointsIn(context, subnet.id)));
}

async function putSubnet(context: HandlerContext): Promise<ManagementResult> {
  const { vnet, subnetName } = await requireSubnet(context);
  const { properties } = parseArmBody(subnetBody, await context.body());
  const { subnet, created: isNew } = await context.services.virtualNetworkService.putSubnet(
    vnet,
    subnetInput(subnetName, properties, 'properties'),
    callerOf(context),
  );
  const shown = subnetJson(vnet, subnet, await endpointsIn(context, subnet.id));
  return isNew ? created(shown) : ok(shown);
}

async function deleteSubnet(context: HandlerContext): Promise<ManagementResult> {
  const { vnet, subnetName } = await requireSubnet(context);
  return { status: (await context.services.virtualNetworkService.deleteSubnet(vnet, subnetName)) ? 200 : 204 };
}

/** The vnet's id as the path spells it: what the dispatcher checks the caller's right over (its subnets' too). */
const vnetIdFromParams = (subscriptionId: string, params: Record<string, string>) =>
  resourceId(subscriptionId, params.resourceGroupName!, VNET_TYPE, params.virtualNetworkName!);

export const virtualNetworkRoutes: RouteSpec[] = [
  { id: 'virtualNetworks.listBySubscription', template: VNETS_IN_SUBSCRIPTION, methods: { GET: { handler: listVnets, needs: listFilteredByVisibility } } },
  { id: 'virtualNetworks.listByResourceGroup', template: VNETS_IN_GROUP, methods: { GET: { handler: listVnets, needs: listFilteredByVisibility } } },
  {
    id: 'virtualNetworks.virtualNetwork',
    template: VNET_PATH,
    methods: {
      GET: { handler: getVnet, needs: onResource('read', actions.read, vnetIdFromParams) },
      PUT: { handler: putVnet, needs: onResource('write', actions.write, vnetIdFromParams) },
      DELETE: { handler: deleteVnet, needs: onResource('write', actions.delete, vnetIdFromParams) },
    },
  },
  {
    id: 'virtualNetworks.subnets',
    template: `${VNET_PATH}/subnets`,
    methods: { GET: { handler: listSubnets, needs: onResource('read', actions.subnetRead, vnetIdFromParams) } },
  },
  {
    id: 'virtualNetworks.subnet',
    template: SUBNET_PATH,
    methods: {
      GET: { handler: getSubnet, needs: onResource('read', actions.subnetRead, vnetIdFromParams) },
      PUT: { handler: putSubnet, needs: onResource('write', actions.subnetWrite, vnetIdFromParams) },
      DELETE: { handler: deleteSubnet, needs: onResource('write', actions.subnetDelete, vnetIdFromParams) },
    },
  },
];
