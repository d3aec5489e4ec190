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

/**
 * What a route's method needs of the caller, checked by the dispatcher before the handler runs
 * (authorization.ts): `registry`, the caller's `permission` over the registry the path names
 * (ARM's order: subscription, right, resource group, registry; the handler then reads it with
 * `addressedRegistry`). Routes without one check in their handler what depends on the body or
 * on what exists (creation, lists filtered by visibility, role assignments).
 */
export interface ArmNeed {
  scope: 'registry';
  permission: ArmPermission;
  /** The ARM action an AuthorizationFailed names, e.g. `Microsoft.ContainerRegistry/registries/read`. */
  action: string;
}

/** The caller needs `permission` over the registry the path names, for ARM's `action`. */
export function onRegistry(permission: ArmPermission, action: string): ArmNeed {
  return { scope: 'registry', permission, action };
}

export interface ArmOperation {
  handler: ManagementHandler;
  needs?: ArmNeed;
}

export interface RouteSpec {
  /** What metrics and logs call the route, e.g. `registries.scopeMaps`. */
  id: string;
  template: string;
  /** A bare handler declares no need: it checks the caller itself. */
  methods: Partial<Record<HttpMethod, ManagementHandler | ArmOperation>>;
}

export interface CompiledRoute extends NamedRoute<ArmOperation> {
  plane: Plane;
  template: string;
  methods: Partial<Record<HttpMethod, ArmOperation>>;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compiles a template; literal text is matched case-insensitively. */
export function compileTemplate(template: string): RegExp {
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

export function compileRoutes(plane: Plane, specs: RouteSpec[]): CompiledRoute[] {
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
