/**
 * The OCI Distribution route table. Repository names contain slashes and clients
 * percent-encode them (`sdk%2Fdemo`), so the path is decoded segment by segment and matched
 * against this table, which mirrors the spec's endpoint list (end-1 … end-13). Each route
 * declares the action it needs; the data-plane pipeline (distribution/data-plane-pipeline.ts) checks
 * it before the handler runs.
 */
import type { FastifyInstance } from 'fastify';
import { errors } from '../kernel/errors.js';
import { matchRoute as matchTable } from '../kernel/url-path.js';
import {
  DATA_PLANE_METHODS,
  dataPlaneDispatcher,
  decodePath,
  methodNotAllowed,
  type DataPlaneAuthorizer,
  type DataPlaneOperation,
  type DataPlaneRoute,
} from './data-plane-pipeline.js';
import { deleteBlob, headOrGetBlob } from './blobs.js';
import type { DistributionServices, Handler, RouteParams } from './context.js';
import { catalog, listReferrers, listTags } from './listings.js';
import { deleteManifest, headOrGetManifest, putManifest } from './manifests.js';
import { cancelUpload, finishUpload, mountChallenge, patchUpload, startUpload, uploadStatus } from './uploads.js';

export { decodePath };

const NAME = '(?<name>.+?)';
/** The spec's endpoints, each method with the action it needs on the repository (or the catalog). */
export const ROUTES: DataPlaneRoute<Handler>[] = [
  { id: 'base', pattern: /^\/v2\/?$/, methods: { GET: { handler: base() }, HEAD: { handler: base() } } },
  { id: 'catalog', pattern: /^\/v2\/_catalog$/, methods: { GET: { handler: catalog, needs: 'catalog' } } },
  { id: 'tags', pattern: new RegExp(`^/v2/${NAME}/tags/list$`), methods: { GET: { handler: listTags, needs: 'pull' } } },
  {
    id: 'manifest',
    pattern: new RegExp(`^/v2/${NAME}/manifests/(?<reference>[^/]+)$`),
    methods: {
      GET: { handler: headOrGetManifest, needs: 'pull' },
      HEAD: { handler: headOrGetManifest, needs: 'pull' },
      PUT: { handler: putManifest, needs: 'push' },
      DELETE: { handler: deleteManifest, needs: 'delete' },
    },
  },
  {
    id: 'upload-start',
    pattern: new RegExp(`^/v2/${NAME}/blobs/uploads/?$`),
    methods: { POST: { handler: startUpload, needs: 'push', alsoChallenge: mountChallenge } },
  },
  {
    id: 'upload',
    pattern: new RegExp(`^/v2/${NAME}/blobs/uploads/(?<uuid>[^/]+)$`),
    methods: {
      GET: { handler: uploadStatus, needs: 'push' },
      PATCH: { handler: patchUpload, needs: 'push' },
      PUT: { handler: finishUpload, needs: 'push' },
      DELETE: { handler: cancelUpload, needs: 'push' },
    },
  },
  {
    id: 'blob',
    pattern: new RegExp(`^/v2/${NAME}/blobs/(?<digest>[^/]+)$`),
    methods: {
      GET: { handler: headOrGetBlob, needs: 'pull' },
      HEAD: { handler: headOrGetBlob, needs: 'pull' },
      DELETE: { handler: deleteBlob, needs: 'delete' },
    },
  },
  {
    id: 'referrers',
    pattern: new RegExp(`^/v2/${NAME}/referrers/(?<digest>[^/]+)$`),
    methods: { GET: { handler: listReferrers, needs: 'pull' } },
  },
];

function base(): Handler {
  return async ({ reply }) => reply.header('Content-Type', 'application/json').send('{}');
}

interface MatchedRoute {
  route: DataPlaneRoute<Handler>;
  operation: DataPlaneOperation<Handler>;
  params: RouteParams;
}

/** The route for a decoded path (404 and 405 as the registry's errors); the pipeline matches the same way. */
export function matchRoute(method: string, path: string): MatchedRoute {
  const found = matchTable(ROUTES, method, path);
  if (!found) throw errors.routeNotFound(method, path);
  if (!found.operation) throw methodNotAllowed(method, path, found.route.methods);
  return { route: found.route, operation: found.operation, params: found.params };
}

export function registerDistributionRoutes(app: FastifyInstance, services: DistributionServices, auth: DataPlaneAuthorizer): void {
  const dispatch = dataPlaneDispatcher(ROUTES, auth, services);
  app.route({ method: DATA_PLANE_METHODS, url: '/v2', handler: dispatch });
  app.route({ method: DATA_PLANE_METHODS, url: '/v2/*', handler: dispatch });
}
