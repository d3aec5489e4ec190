/**
 * The management plane's route table: ARM and Graph path templates, as the REST specs write
 * them (`/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/…`), compiled to
 * case-insensitive patterns (ARM paths are case-insensitive) whose named parts become the
 * handler's params. `{*scope}` matches any number of segments (a role assignment's scope).
 * Each resource module exports its routes, each method with what it needs of the caller;
 * routes.ts concatenates them and matches with the matcher every plane shares (kernel/url-path.ts).
 */
import type { NamedRoute } from '../kernel/url-path.js';
import type { ArmPermission, ManagementHandler } from './context.js';
export type { ArmPermission } from './context.js';

export type HttpMethod = 'GET' | 'HEAD' | 'PUT' | 'PATCH' | 'POST' | 'DELETE';
export const HTTP_METHODS: HttpMethod[] = ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'];

/** `arm` routes need an api-version and speak ARM errors; `graph` routes speak Graph's. */
export type Plane = 'arm' | 'graph';

/** An ARM action as AuthorizationFailed names it, or built from the path (it may refuse the path first). */
export type ArmAction = string | ((params: Record<string, string>) => string);

/**
 * What a route's method needs of the caller, checked by the dispatcher before the handler runs
 * (authorization.ts, authorizeRoute), always in ARM's order: the subscription exists (404, or 401
 * for a token of another tenant), the caller's right (403, before existence, so a caller without
 * rights learns nothing), the resource group exists (404), the resource exists (404). The handler
 * reads what was found with `addressedRegistry` or `addressedScope` (context.ts).
 */
export type ArmNeed = RegistryNeed | SubscriptionNeed | ResourceGroupNeed | ResourceNeed | VisibleItemsNeed | AnyCallerNeed | HandlerNeed;

/** `permission` over the registry the path names, which must exist. */
export interface RegistryNeed {
  scope: 'registry';
  permission: ArmPermission;
  /** The ARM action an AuthorizationFailed names, e.g. `Microsoft.ContainerRegistry/registries/read`. */
  action: string;
}

/**
 * A right at the subscription the path names: a permission there, any role at, above or below it
 * (what makes a subscription visible), or read anywhere within it.
 */
export type SubscriptionRight = ArmPermission | 'anyRole' | 'readWithin';

export interface SubscriptionNeed {
  scope: 'subscription';
  right: SubscriptionRight;
  action: ArmAction;
  /** The subscription only has to exist, whatever the caller's tenant (the right decides). */
  anyTenant?: boolean;
}

/** `permission` over the resource group the path names; `mustExist` false for its creation and `az group exists`. */
export interface ResourceGroupNeed {
  scope: 'resourceGroup';
  permission: ArmPermission;
  action: ArmAction;
  mustExist: boolean;
}

/**
 * `permission` over the resource whose id the path gives (a virtual network, a private endpoint,
 * an identity, a registry being created or deleted) in a resource group that must exist; whether
 * the resource itself exists is the handler's to say (PUT creates it, DELETE answers 204).
 */
export interface ResourceNeed {
  scope: 'resource';
  permission: ArmPermission;
  action: ArmAction;
  /** The resource's id from the canonical subscription id and the path's params. */
  idFromParams: (subscriptionId: string, params: Record<string, string>) => string;
}

/** A list whose items the handler filters by the caller's read on each; the subscription and group the path names must exist. */
export interface VisibleItemsNeed {
  scope: 'visibleItems';
}

/** Any authenticated caller: what the route answers is the same for everyone (built-in roles, the operation list). */
export interface AnyCallerNeed {
  scope: 'anyCaller';
  reason: string;
}

/** The check depends on the body or on what exists (a role assignment's scope parsed from the path, an alias): the handler makes it. */
export interface HandlerNeed {
  scope: 'handler';
  reason: string;
}

/** The caller needs `permission` over the registry the path names, for ARM's `action`. */
export function onRegistry(permission: ArmPermission, action: string): RegistryNeed {
  return { scope: 'registry', permission, action };
}

export function onSubscription(right: SubscriptionRight, action: ArmAction, options: { anyTenant?: boolean } = {}): SubscriptionNeed {
  return { scope: 'subscription', right, action, ...options };
}

export function onResourceGroup(permission: ArmPermission, action: ArmAction, options: { mustExist: boolean } = { mustExist: true }): ResourceGroupNeed {
  return { scope: 'resourceGroup', permission, action, mustExist: options.mustExist };
}

export function onResource(permission: ArmPermission, action: ArmAction, idFromParams: ResourceNeed['idFromParams']): ResourceNeed {
  return { scope: 'resource', permission, action, idFromParams };
}

export const listFilteredByVisibility: VisibleItemsNeed = { scope: 'visibleItems' };

export function anyCaller(reason: string): AnyCallerNeed {
  return { scope: 'anyCaller', reason };
}

export function checkedInHandler(reason: string): HandlerNeed {
  return { scope: 'handler', reason };
}

/**
 * What a Graph route's method needs of the caller in the directory, checked by the dispatcher
 * before the handler runs (graph/graph-access.ts, authorizeDirectoryRoute), in Graph's order:
 * the right (403), then the object the path names (404), then the right to change that object (403).
 */
export type DirectoryNeed = DirectoryRightNeed | DirectoryObjectNeed;

/**
 * A right in the caller's directory: `read` (any directory role, or read on a subscription of
 * the caller's tenant), `registerApplications` (Application or Global Administrator, or Owner of
 * a subscription of the tenant), `users` (User or Global Administrator), `roles` (Global Administrator).
 */
export interface DirectoryRightNeed {
  scope: 'directory';
  right: 'read' | 'registerApplications' | 'users' | 'roles';
}

/**
 * Read on the directory and the object the path names (`{id}` or `(appId='{appId}')`), which
 * must exist in the caller's tenant; with `change`, the right to change it: its owner or an
 * administrator of its kind, and only a Global Administrator for an identity holding a directory role.
 */
export interface DirectoryObjectNeed {
  scope: 'directoryObject';
  object: 'application' | 'servicePrincipal' | 'user';
  change: boolean;
}

export function inDirectory(right: DirectoryRightNeed['right']): DirectoryRightNeed {
  return { scope: 'directory', right };
}

export function onDirectoryObject(object: DirectoryObjectNeed['object'], access: 'read' | 'change'): DirectoryObjectNeed {
  return { scope: 'directoryObject', object, change: access === 'change' };
}

/** What any route's method may declare: ARM routes an ArmNeed, Graph routes a DirectoryNeed. */
export type RouteNeed = ArmNeed | DirectoryNeed;

export function isDirectoryNeed(need: RouteNeed): need is DirectoryNeed {
  return need.scope === 'directory' || need.scope === 'directoryObject';
}

/** A method of a route: ARM's declare an ArmNeed, Graph's a DirectoryNeed (the route-table test fails on one that declares none). */
export interface ArmOperation<N extends RouteNeed = ArmNeed> {
  handler: ManagementHandler;
  needs?: N;
}

export interface RouteSpec<N extends RouteNeed = ArmNeed> {
  /** What metrics and logs call the route, e.g. `registries.scopeMaps`. */
  id: string;
  template: string;
  /** A bare handler declares no need: the route-tables test fails on one (every method declares what it needs). */
  methods: Partial<Record<HttpMethod, ManagementHandler | ArmOperation<N>>>;
}

export interface CompiledRoute<N extends RouteNeed = ArmNeed> extends NamedRoute<ArmOperation<N>> {
  plane: Plane;
  template: string;
  methods: Partial<Record<HttpMethod, ArmOperation<N>>>;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compiles a template; literal text is matched case-insensitively. */
function compileTemplate(template: string): RegExp {
  let source = '';
  let last = 0;
  for (const part of template.matchAll(/\{(\*?)(\w+)\}/g)) {
    source += escape(template.slice(last, part.index));
    source += part[1] ? `(?<${part[2]}>(?:/[^/]+)*)` : `(?<${part[2]}>[^/]+?)`;
    last = part.index! + part[0].length;
  }
  source += escape(template.slice(last));
  return new RegExp(`^${source}/?$`, 'i');
}

export function compileRoutes<N extends RouteNeed>(plane: Plane, specs: RouteSpec<N>[]): CompiledRoute<N>[] {
  return specs.map((spec) => ({
    id: spec.id,
    template: spec.template,
    plane,
    pattern: compileTemplate(spec.template),
    methods: Object.fromEntries(
      Object.entries(spec.methods).map(([method, operation]) => [method, typeof operation === 'function' ? { handler: operation } : operation]),
    ),
  }));
}
