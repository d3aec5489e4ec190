/**
 * `/subscriptions/{s}/providers/Wharf.Network/trustedServices[/{name}]`: the managed
 * identities of services (build, scanning, import) that pass a registry's network rules when
 * its bypass option is AzureServices, as ACR's trusted services do. Only managed identities
 * qualify; registering one is an Owner's act on the subscription, so it opens only that
 * subscription's registries (with bypass on) to the identity's network traffic.
 */
import type { TrustedServiceRecord } from '../../storage/metadata/network-records.js';
import { armErrors, armReason } from '../../kernel/arm-errors.js';
import { addressedScope, collection, created, ok, type ManagementContext, type ManagementResult } from '../context.js';
import { propertiesOf, requiredString } from '../../kernel/json-body.js';
import { onSubscription, type RouteSpec } from '../route-table.js';
import { SUBSCRIPTION_PATH, subscriptionScope } from '../resources/lookup.js';

const TYPE = 'Wharf.Network/trustedServices';
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const SERVICE_TYPE = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/;

function serviceJson(subscriptionId: string, service: TrustedServiceRecord): Record<string, unknown> {
  return {
    id: `${subscriptionScope(subscriptionId)}/providers/${TYPE}/${service.name}`,
    name: service.name,
    type: TYPE,
    properties: { principalId: service.principalId, serviceType: service.serviceType, createdAt: service.createdAt },
  };
}

function find(services: TrustedServiceRecord[], name: string): TrustedServiceRecord | undefined {
  return services.find((s) => s.name.toLowerCase() === name.toLowerCase());
}

async function listServices(context: ManagementContext): Promise<ManagementResult> {
  const subscriptionId = addressedScope(context).subscription.id;
  return collection((await context.services.store.network.trustedServices(subscriptionId)).map((s) => serviceJson(subscriptionId, s)));
}

async function getService(context: ManagementContext): Promise<ManagementResult> {
  const subscriptionId = addressedScope(context).subscription.id;
  const service = find(await context.services.store.network.trustedServices(subscriptionId), context.params.serviceName!);
  if (!service) throw armErrors.notFound('TrustedServiceNotFound', armReason('trustedServiceNotFound', { name: context.params.serviceName! }));
  return ok(serviceJson(subscriptionId, service));
}

async function putService(context: ManagementContext): Promise<ManagementResult> {
  const { store } = context.services;
  const subscriptionId = addressedScope(context).subscription.id;
  const name = context.params.serviceName!;
  if (!NAME.test(name)) throw armErrors.invalidResourceName(armReason('kindTrustedService'), name, armReason('ruleTrustedServiceName'));
  const properties = propertiesOf(await context.body());
  const principalId = requiredString(properties, 'principalId', 'properties.principalId').trim().toLowerCase();
  const serviceType = requiredString(properties, 'serviceType', 'properties.serviceType').trim();
  if (!SERVICE_TYPE.test(serviceType)) throw armErrors.invalidParameter('properties.serviceType', armReason('notServiceType', { value: serviceType }));
  const identity = await store.identities.get(principalId);
  if (!identity || identity.tenantId !== context.caller.tenantId) throw armErrors.principalNotFound(principalId, context.caller.tenantId);
  if (identity.type !== 'ManagedIdentity') {
    throw armErrors.invalidParameter('properties.principalId', armReason('trustedNeedsManagedIdentity', { principalId, type: identity.type }));
  }
  const existing = find(await store.network.trustedServices(subscriptionId), name);
  const service: TrustedServiceRecord = {
    subscriptionId,
    name: existing?.name ?? name,
    principalId,
    serviceType,
    createdAt: existing?.createdAt ?? new Date().toISOString(),
  };
  await store.network.saveTrustedService(service);
  context.services.events.publish({ kind: 'network' });
  return existing ? ok(serviceJson(subscriptionId, service)) : created(serviceJson(subscriptionId, service));
}

async function deleteService(context: ManagementContext): Promise<ManagementResult> {
  const subscriptionId = addressedScope(context).subscription.id;
  const service = find(await context.services.store.network.trustedServices(subscriptionId), context.params.serviceName!);
  if (!service || !(await context.services.store.network.deleteTrustedService(subscriptionId, service.name))) return { status: 204 };
  context.services.events.publish({ kind: 'network' });
  return { status: 200 };
}

export const trustedServiceRoutes: RouteSpec[] = [
  {
    id: 'trustedServices.list',
    template: `${SUBSCRIPTION_PATH}/providers/${TYPE}`,
    methods: { GET: { handler: listServices, needs: onSubscription('read', `${TYPE}/read`) } },
  },
  {
    id: 'trustedServices.service',
    template: `${SUBSCRIPTION_PATH}/providers/${TYPE}/{serviceName}`,
    methods: {
      GET: { handler: getService, needs: onSubscription('read', `${TYPE}/read`) },
      PUT: { handler: putService, needs: onSubscription('assignRoles', `${TYPE}/write`) },
      DELETE: { handler: deleteService, needs: onSubscription('assignRoles', `${TYPE}/delete`) },
    },
  },
];
