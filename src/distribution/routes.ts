/**
 * The OCI Distribution route table. Repository names contain slashes and clients
 * percent-encode them (`sdk%2Fdemo`), so the path is decoded segment by segment and matched
 * against this table, which mirrors the spec's endpoint list (end-1 … end-13).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errors, RegistryError } from '../server/errors.js';
import type { RegistryDirectory } from '../server/host-routing.js';
import { deleteBlob, headOrGetBlob } from './blobs.js';
import type { DistributionServices, Handler, RouteParams } from './context.js';
import { catalog, listReferrers, listTags } from './listings.js';
import { deleteManifest, headOrGetManifest, putManifest } from './manifests.js';
import { checkRepositoryName } from './names.js';
import { cancelUpload, finishUpload, patchUpload, startUpload, uploadStatus } from './uploads.js';

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Route {
  id: string;
  pattern: RegExp;
  methods: Partial<Record<Method, Handler>>;
}

const NAME = '(?<name>.+?)';
export const ROUTES: Route[] = [
  { id: 'base', pattern: /^\/v2\/?$/, methods: { GET: base(), HEAD: base() } },
  { id: 'catalog', pattern: /^\/v2\/_catalog$/, methods: { GET: catalog } },
  { id: 'tags', pattern: new RegExp(`^/v2/${NAME}/tags/list$`), methods: { GET: listTags } },
  {
    id: 'manifest',
    pattern: new RegExp(`^/v2/${NAME}/manifests/(?<reference>[^/]+)$`),
    methods: { GET: headOrGetManifest, HEAD: headOrGetManifest, PUT: putManifest, DELETE: deleteManifest },
  },
  { id: 'upload-start', pattern: new RegExp(`^/v2/${NAME}/blobs/uploads/?$`), methods: { POST: startUpload } },
  {
    id: 'upload',
    pattern: new RegExp(`^/v2/${NAME}/blobs/uploads/(?<uuid>[^/]+)$`),
    methods: { GET: uploadStatus, PATCH: patchUpload, PUT: finishUpload, DELETE: cancelUpload },
  },
  {
    id: 'blob',
    pattern: new RegExp(`^/v2/${NAME}/blobs/(?<digest>[^/]+)$`),
    methods: { GET: headOrGetBlob, HEAD: headOrGetBlob, DELETE: deleteBlob },
  },
  { id: 'referrers', pattern: new RegExp(`^/v2/${NAME}/referrers/(?<digest>[^/]+)$`), methods: { GET: listReferrers } },
];

function base(): Handler {
  return async ({ reply }) => reply.header('Content-Type', 'application/json').send('{}');
}

/** Splits the raw URL, decoding each path segment (so `a%2Fb` names the repository `a/b`). */
export function decodePath(rawUrl: string): { path: string; query: URLSearchParams } {
  const q = rawUrl.indexOf('?');
  const rawPath = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
  const query = new URLSearchParams(q >= 0 ? rawUrl.slice(q + 1) : '');
  try {
    return { path: rawPath.split('/').map(decodeURIComponent).join('/'), query };
  } catch {
    throw errors.badRequest(`malformed percent-encoding in path '${rawPath}'`);
  }
}

export interface MatchedRoute {
  route: Route;
  handler: Handler;
  params: RouteParams;
}

export function matchRoute(method: string, path: string): MatchedRoute {
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    const handler = route.methods[method as Method];
    if (!handler) {
      throw new RegistryError(405, 'UNSUPPORTED', `${method} is not supported on ${path}`, null, {
        Allow: Object.keys(route.methods).join(', '),
      });
    }
    return { route, handler, params: { ...match.groups } };
  }
  throw errors.routeNotFound(method, path);
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The distribution route that matched, for metrics and logs. */
    routeId?: string;
  }
}

export function registerDistributionRoutes(
  app: FastifyInstance,
  services: DistributionServices,
  directory: RegistryDirectory,
): void {
  const dispatch = async (request: FastifyRequest, reply: FastifyReply) => {
    const { path, query } = decodePath(request.url);
    const { route, handler, params } = matchRoute(request.method, path);
    request.routeId = route.id;
    const resolved = await directory.resolve(request.headers.host);
    if (!resolved) throw errors.unknownHost(request.headers.host ?? '');
    const repository = params.name !== undefined ? checkRepositoryName(params.name) : '';
    return handler({
      services,
      registry: resolved.registry,
      loginServer: resolved.loginServer,
      repo: { registry: resolved.registry.name, repository },
      params,
      query,
      request,
      reply,
    });
  };
  const methods: Method[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
  app.route({ method: methods, url: '/v2', handler: dispatch });
  app.route({ method: methods, url: '/v2/*', handler: dispatch });
}
