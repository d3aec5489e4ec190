/**
 * Finding what an ARM path addresses, in ARM's order: the subscription (404 if unknown, 401
 * if the token is from another tenant), then the caller's right over the resource's scope
 * (403), then the resource group and the resource (404). Checking access before existence
 * keeps a caller without rights from learning which resources exist. Routes declare the scope
 * and right they need and the dispatcher checks them (authorization.ts, authorizeRoute); role
 * assignments, whose scope is any depth of the path, use these helpers in their handler.
 */
import type { ResourceGroupRecord, SubscriptionRecord } from '../../storage/metadata/access-records.js';
import { armErrors } from '../../kernel/arm-errors.js';
import { challengeContext } from '../authentication.js';
import type { ManagementContext, ManagementServices } from '../context.js';

export {
  REGISTRY_TYPE,
  SUBSCRIPTION_PATH,
  RESOURCE_GROUP_PATH,
  REGISTRY_PATH,
  subscriptionScope,
  resourceGroupScope,
  registryIdFromPath,
  registryIsAt,
} from '../../domain/arm-resources.js';
import { REGISTRY_TYPE } from '../../domain/arm-resources.js';

/** What these lookups use of the management plane's services (context.ts); `requireSubscription` also names the tenant in a wrong tenant's challenge. */
type HandlerServices = Pick<ManagementServices, 'store'>;
type HandlerContext = ManagementContext<HandlerServices>;

export async function requireSubscription(
  context: ManagementContext<Pick<ManagementServices, 'arm' | 'store'>>,
  subscriptionId: string,
): Promise<SubscriptionRecord> {
  const subscription = (await context.services.store.scaffold.subscriptions()).find((s) => s.id.toLowerCase() === subscriptionId.toLowerCase());
  if (!subscription) throw armErrors.subscriptionNotFound(subscriptionId);
  if (subscription.tenantId !== context.caller.tenantId) {
    throw armErrors.wrongTenant(challengeContext(context.services, context.origin), context.caller.tenantId, subscription.id);
  }
  return subscription;
}

/** Resource group names are case-insensitive in ARM; the stored spelling is returned. */
export async function findResourceGroup(context: HandlerContext, subscriptionId: string, name: string): Promise<ResourceGroupRecord | undefined> {
  return (await context.services.store.scaffold.resourceGroups(subscriptionId)).find((g) => g.name.toLowerCase() === name.toLowerCase());
}

export async function requireResourceGroup(context: HandlerContext, subscriptionId: string, name: string): Promise<ResourceGroupRecord> {
  const group = await findResourceGroup(context, subscriptionId, name);
  if (!group) throw armErrors.resourceGroupNotFound(name);
  return group;
}

/** Registry actions as ARM names them, for AuthorizationFailed messages. */
export const registryActions = {
  read: `${REGISTRY_TYPE}/read`,
  write: `${REGISTRY_TYPE}/write`,
  delete: `${REGISTRY_TYPE}/delete`,
  listCredentials: `${REGISTRY_TYPE}/listCredentials/action`,
  regenerateCredential: `${REGISTRY_TYPE}/regenerateCredential/action`,
  generateCredentials: `${REGISTRY_TYPE}/generateCredentials/action`,
  listUsages: `${REGISTRY_TYPE}/listUsages/read`,
  scopeMapsRead: `${REGISTRY_TYPE}/scopeMaps/read`,
  scopeMapsWrite: `${REGISTRY_TYPE}/scopeMaps/write`,
  scopeMapsDelete: `${REGISTRY_TYPE}/scopeMaps/delete`,
  tokensRead: `${REGISTRY_TYPE}/tokens/read`,
  tokensWrite: `${REGISTRY_TYPE}/tokens/write`,
  tokensDelete: `${REGISTRY_TYPE}/tokens/delete`,
  logsRead: `${REGISTRY_TYPE}/logs/read`,
} as const;
