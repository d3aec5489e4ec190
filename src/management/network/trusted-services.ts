/**
 * `/subscriptions/{s}/providers/Wharf.Network/trustedServices[/{name}]`: the managed
 * identities of services (build, scanning, import) that pass a registry's network rules when
 * its bypass option is AzureServices, as ACR's trusted services do. Only managed identities
 * qualify; registering one is an Owner's act on the subscription, so it opens only that
 * subscription's registries (with bypass on) to the identity's network traffic. The rules are
 * the trusted service service's (src/domain/trusted-service-service.ts); these handlers
 * authorize, parse the body (zod), call it, and render.
 */
import { z } from 'zod';
import type { TrustedServiceRecord } from '../../storage/metadata/network-records.js';
import { armErrors, armReason } from '../../kernel/arm-errors.js';
import { addressedScope, collection, created, ok, type ManagementContext, type ManagementResult, type ManagementServices } from '../context.js';
import { parseArmBody, requiredText } from '../arm-body.js';
import { onSubscription, type RouteSpec } from '../route-table.js';
import { SUBSCRIPTION_PATH, subscriptionScope } from '../resources/lookup.js';

/** What this module uses of the management plane's services (context.ts): nothing else is in reach. */
type HandlerServices = Pick<ManagementServices, 'store' | 'trustedServiceService'>;
type HandlerContext = ManagementContext<HandlerServices>;

const TYPE = 'Wharf.Network/trustedServices';

/** A trusted service PUT's body (a missing `properties` reads as empty). */
const trustedServiceBody = z.object({
  properties: z.preprocess((value) => value ?? {}, z.object({ principalId: requiredText, serviceType: requiredText })),
});

function serviceJson(subscriptionId: string, service: TrustedServiceRecord): Record<string, unknown> {
  return {
    id: `${subscriptionScope(subscriptionId)}/providers/${TYPE}/${service.name}`,
    name: service.name,
    type: TYPE,
    properties: { principalId: service.principalId, serviceType: service.serviceType, createdAt: service.createdAt },
  };
}

async function listServices(context: HandlerContext): Promise<ManagementResult> {
  const subscriptionId = addressedScope(context).subscription.id;
  return collection((await context.services.store.network.trustedServices(subscriptionId)).map((s) => serviceJson(subscriptionId, s)));
}

async function getService(context: HandlerContext): Promise<ManagementResult> {
  const subscriptionId = addressedScope(context).subscription.id;
  const service = await context.services.trustedServiceService.find(subscriptionId, context.params.serviceName!);
  if (!service) throw armErrors.notFound('TrustedServiceNotFound', armReason('trustedServiceNotFound', { name: context.params.serviceName! }));
  return ok(serviceJson(subscriptionId, service));
}

async function putService(context: HandlerContext): Promise<ManagementResult> {
  const subscriptionId = addressedScope(context).subscription.id;
  const { service, created: isNew } = await context.services.trustedServiceService.put(
    subscriptionId,
    context.params.serviceName!,
    async () => parseArmBody(trustedServiceBody, await context.body()).properties,
    context.caller.tenantId,
  );
  return isNew ? created(serviceJson(subscriptionId, service)) : ok(serviceJson(subscriptionId, service));
}

async function deleteService(context: HandlerContext): Promise<ManagementResult> {
  const subscriptionId = addressedScope(context).subscription.id;
  return { status: (await context.services.trustedServiceService.delete(subscriptionId, context.params.serviceName!)) ? 200 : 204 };
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
