/**
 * The OCI Distribution route table. Repository names contain slashes and clients
 * percent-encode them (`sdk%2Fdemo`), so the path is decoded segment by segment and matched
 * against this table, which mirrors the spec's endpoint list (end-1 … end-13).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errors, RegistryError } from '../server/errors.js';
import { decodeUrl, firstMatch, rawPathOf, type DecodedUrl } from '../server/url-path.js';
import type { RegistryDirectory } from '../server/host-routing.js';
import { deleteBlob, headOrGetBlob } from './blobs.js';
import type { Handler, RouteParams } from './context.js';
import type { WharfServices } from '../server/services.js';
import type { AccessEntry, RepositoryAction } from '../access/scopes.js';
import { catalog, listReferrers, listTags } from './listings.js';
import { deleteManifest, headOrGetManifest, putManifest } from './manifests.js';
import { checkRepositoryName, isValidRepositoryName } from './names.js';
import { cancelUpload, finishUpload, patchUpload, startUpload, uploadStatus } from './uploads.js';
import { localize } from '../i18n/localized.js';
import { distributionMessages } from './distribution-messages.js';

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Route {
  id: string;
  pattern: RegExp;
  methods: Partial<Record<Method, Handler>>;
  /** The action each method needs on the repository (or the catalog); none: only authentication. */
  needs?: Partial<Record<Method, RepositoryAction | 'catalog'>>;
}

const NAME = '(?<name>.+?)';
export const ROUTES: Route[] = [
  { id: 'base', pattern: /^\/v2\/?$/, methods: { GET: base(), HEAD: base() } },
  { id: 'catalog', pattern: /^\/v2\/_catalog$/, methods: { GET: catalog }, needs: { GET: 'catalog' } },
  { id: 'tags', pattern: new RegExp(`^/v2/${NAME}/tags/list$`), methods: { GET: listTags }, needs: { GET: 'pull' } },
  {
    id: 'manifest',
    pattern: new RegExp(`^/v2/${NAME}/manifests/(?<reference>[^/]+)$`),
    methods: { GET: headOrGetManifest, HEAD: headOrGetManifest, PUT: putManifest, DELETE: deleteManifest },
    needs: { GET: 'pull', HEAD: 'pull', PUT: 'push', DELETE: 'delete' },
  },
  {
    id: 'upload-start',
    pattern: new RegExp(`^/v2/${NAME}/blobs/uploads/?$`),
    methods: { POST: startUpload },
    needs: { POST: 'push' },
  },
  {
    id: 'upload',
    pattern: new RegExp(`^/v2/${NAME}/blobs/uploads/(?<uuid>[^/]+)$`),
    methods: { GET: uploadStatus, PATCH: patchUpload, PUT: finishUpload, DELETE: cancelUpload },
    needs: { GET: 'push', PATCH: 'push', PUT: 'push', DELETE: 'push' },
  },
  {
    id: 'blob',
    pattern: new RegExp(`^/v2/${NAME}/blobs/(?<digest>[^/]+)$`),
    methods: { GET: headOrGetBlob, HEAD: headOrGetBlob, DELETE: deleteBlob },
    needs: { GET: 'pull', HEAD: 'pull', DELETE: 'delete' },
  },
  {
    id: 'referrers',
    pattern: new RegExp(`^/v2/${NAME}/referrers/(?<digest>[^/]+)$`),
    methods: { GET: listReferrers },
    needs: { GET: 'pull' },
  },
];

/** The scope a request needs, in the token server's terms; null for GET /v2/. */
export function requiredAccess(route: Route, method: string, repository: string): AccessEntry | null {
  const need = route.needs?.[method as Method];
  if (!need) return null;
  if (need === 'catalog') return { type: 'registry', name: 'catalog', actions: ['*'] };
  return { type: 'repository', name: repository, actions: [need] };
}

function base(): Handler {
  return async ({ reply }) => reply.header('Content-Type', 'application/json').send('{}');
}

/** Splits the raw URL, decoding each path segment (so `a%2Fb` names the repository `a/b`). */
export function decodePath(rawUrl: string): DecodedUrl {
  const decoded = decodeUrl(rawUrl);
  if (!decoded) throw errors.badRequest(localize(distributionMessages, 'pathEncoding', { path: rawPathOf(rawUrl) }));
  return decoded;
}

/** 405 naming the methods the path does support. */
export function methodNotAllowed(method: string, path: string, methods: object): RegistryError {
  return errors.methodNotSupported(method, path, Object.keys(methods));
}

export interface MatchedRoute {
  route: Route;
  handler: Handler;
  params: RouteParams;
}

export function matchRoute(method: string, path: string): MatchedRoute {
  const found = firstMatch(ROUTES, path);
  if (!found) throw errors.routeNotFound(method, path);
  const handler = found.route.methods[method as Method];
  if (!handler) throw methodNotAllowed(method, path, found.route.methods);
  return { route: found.route, handler, params: found.params };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The distribution route that matched, for metrics and logs. */
    routeId?: string;
  }
}

export function registerDistributionRoutes(
  app: FastifyInstance,
  services: WharfServices,
  directory: RegistryDirectory,
): void {
  const dispatch = async (request: FastifyRequest, reply: FastifyReply) => {
    const { path, query } = decodePath(request.url);
    const { route, handler, params } = matchRoute(request.method, path);
    request.routeId = route.id;
    const resolved = await directory.resolve(request.headers.host);
    if (!resolved) throw errors.unknownHost(request.headers.host ?? '');
    const repository = params.name !== undefined ? checkRepositoryName(params.name) : '';
    const target = { registry: resolved.registry, loginServer: resolved.loginServer };
    const required = requiredAccess(route, request.method, repository);
    // A mount reads the blob from another repository: a refusal's challenge asks for pull
    // there too, as Distribution's does, so a token client gets one token that can mount.
    const from = route.id === 'upload-start' && query.has('mount') ? query.get('from') : null;
    const source: AccessEntry | null = from && isValidRepositoryName(from) ? { type: 'repository', name: from, actions: ['pull'] } : null;
    await services.auth.authorize(request, target, required, source ? [source] : []);
    if (route.id === 'upload-start' && query.has('mount')) {
      if (from) checkRepositoryName(from);
      // Only where the client may pull; otherwise the upload goes on without the mount.
      const mayRead = source ? await services.auth.mayMountFrom(request, target, required!, source) : services.auth.deps.openAccess;
      if (!mayRead) {
        query.delete('mount');
        query.delete('from');
      }
    }
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
