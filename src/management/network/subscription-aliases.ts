/**
 * `PUT/GET /providers/Microsoft.Subscription/aliases/{alias}`: how `az account alias create`
 * makes a subscription. A caller who is Owner of a subscription of its tenant may create one;
 * it becomes Owner of the new subscription. The subscription's id is derived from the tenant
 * and the alias (a name-based UUID), so the alias needs no table of its own and a repeated PUT
 * answers with the same subscription. Its resource providers start as a fresh Azure
 * subscription's do (providers.ts): Microsoft.ContainerRegistry NotRegistered.
 */
import { createHash, randomUUID } from 'node:crypto';
import { armErrors, armReason } from '../../kernel/arm-errors.js';
import { created, ok, type ManagementContext, type ManagementResult, type ManagementServices } from '../context.js';
import { optionalString, propertiesOf } from '../../kernel/json-body.js';
import { checkedInHandler, type RouteSpec } from '../route-table.js';
import { subscriptionScope } from '../resources/lookup.js';

/** What this module uses of the management plane's services (context.ts): nothing else is in reach. */
type HandlerServices = Pick<ManagementServices, 'events' | 'store'>;
type HandlerContext = ManagementContext<HandlerServices>;

const ALIAS_TYPE = 'Microsoft.Subscription/aliases';
const ALIAS_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** A version-5-shaped UUID from tenant and alias. */
function subscriptionIdFor(tenantId: string, alias: string): string {
  const hash = createHash('sha256').update(`wharf-subscription-alias:${tenantId.toLowerCase()}:${alias.toLowerCase()}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function aliasJson(alias: string, subscriptionId: string): Record<string, unknown> {
  return {
    id: `/providers/${ALIAS_TYPE}/${alias}`,
    name: alias,
    type: ALIAS_TYPE,
    properties: { subscriptionId, provisioningState: 'Succeeded' },
  };
}

function aliasOf(context: HandlerContext): string {
  const alias = context.params.aliasName!;
  if (!ALIAS_NAME.test(alias)) throw armErrors.invalidResourceName(armReason('kindSubscriptionAlias'), alias, armReason('ruleAliasName'));
  return alias;
}

/** Owner of some subscription of the caller's tenant (the right to create subscriptions in it). */
async function ownsASubscription(context: HandlerContext): Promise<boolean> {
  const subscriptions = (await context.services.store.scaffold.subscriptions()).filter((s) => s.tenantId === context.caller.tenantId);
  const scopes = new Set(subscriptions.map((s) => subscriptionScope(s.id).toLowerCase()));
  return (await context.access.assignments()).some((a) => a.roleName === 'Owner' && scopes.has(a.scope.toLowerCase().replace(/\/+$/, '')));
}

async function putAlias(context: HandlerContext): Promise<ManagementResult> {
  const { store } = context.services;
  const alias = aliasOf(context);
  if (!(await ownsASubscription(context))) {
    throw armErrors.authorizationFailed(context.caller, 'Microsoft.Subscription/aliases/write', `/providers/${ALIAS_TYPE}/${alias}`);
  }
  const body = await context.body();
  const properties = propertiesOf(body);
  const displayName = optionalString(properties, 'displayName', 'properties.displayName') ?? alias;
  const workload = optionalString(properties, 'workload', 'properties.workload');
  if (workload !== undefined && !['production', 'devtest'].includes(workload.toLowerCase())) {
    throw armErrors.invalidParameter('properties.workload', armReason('notWorkload', { value: workload }));
  }
  const id = subscriptionIdFor(context.caller.tenantId, alias);
  const existing = (await store.scaffold.subscriptions()).find((s) => s.id === id);
  if (existing) return ok(aliasJson(alias, id));
  // The subscription and its creator's Owner assignment in one transaction.
  await store.scaffold.ensureSubscription(
    { id, tenantId: context.caller.tenantId, displayName },
    {
      id: randomUUID(),
      scope: subscriptionScope(id),
      roleName: 'Owner',
      principalId: context.caller.objectId,
      principalType: context.caller.type,
      createdAt: new Date().toISOString(),
    },
  );
  context.services.events.publish({ kind: 'grant' });
  return created(aliasJson(alias, id));
}

async function getAlias(context: HandlerContext): Promise<ManagementResult> {
  const alias = aliasOf(context);
  const id = subscriptionIdFor(context.caller.tenantId, alias);
  const subscription = (await context.services.store.scaffold.subscriptions()).find((s) => s.id === id);
  if (!subscription || !(await context.access.hasAnyRoleAround(subscriptionScope(id)))) {
    throw armErrors.notFound('ResourceNotFound', armReason('aliasNotFound', { alias }));
  }
  return ok(aliasJson(alias, id));
}

export const subscriptionAliasRoutes: RouteSpec[] = [
  {
    id: 'subscriptionAliases.alias',
    template: `/providers/${ALIAS_TYPE}/{aliasName}`,
    methods: {
      PUT: { handler: putAlias, needs: checkedInHandler('creating a subscription needs Owner of some subscription of the tenant') },
      GET: { handler: getAlias, needs: checkedInHandler('an alias is found only when its subscription exists and the caller has a role around it') },
    },
  },
];
