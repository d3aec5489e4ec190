/**
 * ARM role-based access control for the management plane. A role assignment applies to a
 * resource when its scope is the resource's id or an ancestor of it (subscription, resource
 * group, registry). A repository scope (`…/registries/R/repositories/<name or glob>`) is
 * Wharf's ABAC-style data-plane grant: it covers only that very scope, never a sibling whose
 * name merely starts the same (`team` does not cover `team/app`). Each role's management
 * rights are in access/roles.ts: read, write, assign roles. Routes declare what they need
 * (route-table.ts) and the dispatcher checks it here (authorizeRoute) before the handler runs.
 */
import { registryResourceId, ROLE_DEFINITIONS } from '../access/roles.js';
import type { IdentityClaims } from '../identity/identity-plane.js';
import type { RoleAssignmentRecord, SubscriptionRecord } from '../storage/metadata/access-records.js';
import type { MetadataStore } from '../storage/metadata/store.js';
import { armErrors } from '../kernel/arm-errors.js';
import type { AddressedRegistry, ArmAccess, ManagementContext, ManagementServices } from './context.js';
import {
  REGISTRY_TYPE,
  registryIdFromPath,
  registryIsAt,
  requireResourceGroup,
  requireSubscription,
  resourceGroupScope,
  subscriptionScope,
} from './resources/lookup.js';

export type { ArmPermission } from './route-table.js';
import type { ArmAction, ArmNeed, ArmPermission, RegistryNeed, SubscriptionRight } from './route-table.js';

/** What the dispatcher's checks use of the management plane's services. */
type AuthorizingContext = ManagementContext<Pick<ManagementServices, 'arm' | 'store'>>;

const REPOSITORY_SCOPE = /\/providers\/microsoft\.containerregistry\/registries\/[^/]+\/repositories\//i;

/** True when an assignment at `assignmentScope` applies to `resourceId`. */
export function scopeCovers(assignmentScope: string, resourceId: string): boolean {
  const scope = assignmentScope.toLowerCase().replace(/\/+$/, '');
  const target = resourceId.toLowerCase().replace(/\/+$/, '');
  if (scope === target) return true;
  if (REPOSITORY_SCOPE.test(scope)) return false;
  return target.startsWith(scope + '/');
}

/** True when `inner` is `outer` or below it (for "anything within this subscription"). */
export function scopeWithin(inner: string, outer: string): boolean {
  const a = inner.toLowerCase().replace(/\/+$/, '');
  const b = outer.toLowerCase().replace(/\/+$/, '');
  return a === b || a.startsWith(b + '/');
}

/** One request's view of the caller's role assignments, loaded once. */
export class AccessCheck implements ArmAccess {
  private loaded: Promise<RoleAssignmentRecord[]> | undefined;

  constructor(
    private readonly store: MetadataStore,
    private readonly caller: IdentityClaims,
  ) {}

  assignments(): Promise<RoleAssignmentRecord[]> {
    this.loaded ??= this.store.roleAssignments.forPrincipal(this.caller.objectId);
    return this.loaded;
  }

  async allows(resourceId: string, permission: ArmPermission): Promise<boolean> {
    for (const assignment of await this.assignments()) {
      if (ROLE_DEFINITIONS[assignment.roleName]?.arm[permission] && scopeCovers(assignment.scope, resourceId)) return true;
    }
    return false;
  }

  /** Throws 403 AuthorizationFailed naming the ARM action and scope, as ARM words it. */
  async require(resourceId: string, permission: ArmPermission, action: string): Promise<void> {
    if (!(await this.allows(resourceId, permission))) {
      throw armErrors.authorizationFailed({ name: this.caller.name, objectId: this.caller.objectId }, action, resourceId);
    }
  }

  /** Whether the caller holds any role at, above or below `scope` (what makes a subscription visible). */
  async hasAnyRoleAround(scope: string): Promise<boolean> {
    return (await this.assignments()).some((a) => scopeWithin(a.scope, scope) || scopeCovers(a.scope, scope));
  }

  /** Whether the caller holds `permission` at `scope` or anywhere below it. */
  async allowsWithin(scope: string, permission: ArmPermission): Promise<boolean> {
    return (await this.assignments()).some(
      (a) => ROLE_DEFINITIONS[a.roleName]?.arm[permission] && (scopeWithin(a.scope, scope) || scopeCovers(a.scope, scope)),
    );
  }
}

function actionOf(action: ArmAction, params: Record<string, string>): string {
  return typeof action === 'function' ? action(params) : action;
}

async function subscriptionNamed(context: AuthorizingContext, anyTenant: boolean): Promise<SubscriptionRecord> {
  const id = context.params.subscriptionId!;
  if (!anyTenant) return requireSubscription(context, id);
  const subscription = (await context.services.store.scaffold.subscriptions()).find((s) => s.id.toLowerCase() === id.toLowerCase());
  if (!subscription) throw armErrors.subscriptionNotFound(id);
  return subscription;
}

async function requireSubscriptionRight(context: AuthorizingContext, scope: string, right: SubscriptionRight, action: string): Promise<void> {
  if (right === 'anyRole' || right === 'readWithin') {
    const allowed = right === 'anyRole' ? await context.access.hasAnyRoleAround(scope) : await context.access.allowsWithin(scope, 'read');
    if (!allowed) throw armErrors.authorizationFailed(context.caller, action, scope);
    return;
  }
  await context.access.require(scope, right, action);
}

/**
 * What a route declares it needs (route-table.ts), checked in ARM's order: the subscription (404
 * if unknown, 401 if the token is from another tenant), then the caller's right over the scope
 * the path names (403, before its existence, so a caller without rights learns nothing), then
 * the resource group and the registry (404). What it found is left on the context for the handler.
 */
export async function authorizeRoute(context: AuthorizingContext, need: ArmNeed): Promise<void> {
  const params = context.params as Record<string, string>;
  switch (need.scope) {
    case 'anyCaller':
    case 'handler':
      return;
    case 'registry':
      context.addressed = await authorizeRegistry(context, need);
      return;
    case 'visibleItems': {
      if (params.subscriptionId === undefined) return;
      const subscription = await requireSubscription(context, params.subscriptionId);
      const group = params.resourceGroupName === undefined ? undefined : await requireResourceGroup(context, subscription.id, params.resourceGroupName);
      context.located = { subscription, ...(group ? { group } : {}) };
      return;
    }
    case 'subscription': {
      const subscription = await subscriptionNamed(context, need.anyTenant === true);
      const scope = subscriptionScope(subscription.id);
      await requireSubscriptionRight(context, scope, need.right, actionOf(need.action, params));
      context.located = { subscription, resourceId: scope };
      return;
    }
    case 'resourceGroup': {
      const subscription = await requireSubscription(context, params.subscriptionId!);
      const scope = resourceGroupScope(subscription.id, params.resourceGroupName!);
      await context.access.require(scope, need.permission, actionOf(need.action, params));
      const group = need.mustExist ? await requireResourceGroup(context, subscription.id, params.resourceGroupName!) : undefined;
      context.located = { subscription, resourceId: scope, ...(group ? { group } : {}) };
      return;
    }
    case 'resource': {
      const subscription = await requireSubscription(context, params.subscriptionId!);
      const resourceId = need.idFromParams(subscription.id, params);
      await context.access.require(resourceId, need.permission, actionOf(need.action, params));
      const group = await requireResourceGroup(context, subscription.id, params.resourceGroupName!);
      context.located = { subscription, group, resourceId };
      return;
    }
  }
}

async function authorizeRegistry(context: AuthorizingContext, need: RegistryNeed): Promise<AddressedRegistry> {
  const { subscriptionId, resourceGroupName, registryName } = context.params as Record<string, string>;
  const subscription = await requireSubscription(context, subscriptionId!);
  await context.access.require(registryIdFromPath(subscription.id, resourceGroupName!, registryName!), need.permission, need.action);
  const group = await requireResourceGroup(context, subscription.id, resourceGroupName!);
  const registry = await context.services.store.registries.get(registryName!.toLowerCase());
  if (!registry || !registryIsAt(registry, subscription.id, group.name)) {
    throw armErrors.resourceNotFound(REGISTRY_TYPE, registryName!, resourceGroupName!);
  }
  return { registry, id: registryResourceId(registry) };
}
