/**
 * The management plane's route table: ARM and Graph path templates, as the REST specs write
 * them (`/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/…`), compiled to
 * case-insensitive patterns (ARM paths are case-insensitive) whose named parts become the
 * handler's params. `{*scope}` matches any number of segments (a role assignment's scope).
 * Each resource module exports its routes; routes.ts concatenates them.
 */
import type { ManagementHandler } from './context.js';

export type HttpMethod = 'GET' | 'HEAD' | 'PUT' | 'PATCH' | 'POST' | 'DELETE';
export const HTTP_METHODS: HttpMethod[] = ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'];

/** `arm` routes need an api-version and speak ARM errors; `graph` routes speak Graph's. */
export type Plane = 'arm' | 'graph';

export interface RouteSpec {
  /** What metrics and logs call the route, e.g. `registries.scopeMaps`. */
  id: string;
  template: string;
  methods: Partial<Record<HttpMethod, ManagementHandler>>;
}

export interface CompiledRoute extends RouteSpec {
  plane: Plane;
  pattern: RegExp;
}

export interface RouteMatch {
  route: CompiledRoute;
  params: Record<string, string>;
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
  return specs.map((spec) => ({ ...spec, plane, pattern: compileTemplate(spec.template) }));
}

/** The first route whose template matches the path (its methods decide between a handler and 405). */
export function matchRoute(routes: CompiledRoute[], path: string): RouteMatch | undefined {
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (match) return { route, params: { ...match.groups } };
  }
  return undefined;
}
