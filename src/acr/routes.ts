/**
 * ACR's data-plane API `/acr/v1/…` (swagger 2021-07-01): catalog, repository, tag and manifest
 * properties with their changeable attributes, untag and repository delete. Names contain
 * slashes and the Azure SDKs percent-encode them (`demo%2Fhello`), so the path is decoded
 * segment by segment, as for /v2. `api-version` is accepted and ignored.
 * Every request is authorized first: the catalog needs `registry:catalog:*`, reads need
 * `metadata_read`, PATCH `metadata_write`, deletes `delete`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccessEntry, RepositoryAction } from '../access/scopes.js';
import { auditOf, type RepositoryOperation } from '../audit/request-audit.js';
import { checkRepositoryName } from '../distribution/names.js';
import { decodePath, methodNotAllowed } from '../distribution/routes.js';
import { firstMatch } from '../server/url-path.js';
import { errors } from '../server/errors.js';
import type { WharfServices } from '../server/services.js';
import type { AcrHandler, AcrParams } from './context.js';
import { ManifestDescriber } from './manifest-description.js';
import { getManifest, listManifests, updateManifest } from './manifest-handlers.js';
import { deleteRepository, getRepository, listRepositories, updateRepository } from './repository-handlers.js';
import { deleteTag, getTag, listTags, updateTag } from './tag-handlers.js';

type Method = 'GET' | 'PATCH' | 'DELETE';

interface Operation {
  handler: AcrHandler;
  /** The action needed on the repository, or the catalog. */
  needs: RepositoryAction | 'catalog';
  /** ACR logs these as repository events. */
  audit?: RepositoryOperation;
}

interface Route {
  id: string;
  pattern: RegExp;
  methods: Partial<Record<Method, Operation>>;
}

const NAME = '(?<name>.+?)';
const ROUTES: Route[] = [
  { id: 'acr-catalog', pattern: /^\/acr\/v1\/_catalog$/, methods: { GET: { handler: listRepositories, needs: 'catalog' } } },
  {
    id: 'acr-tag',
    pattern: new RegExp(`^/acr/v1/${NAME}/_tags/(?<reference>[^/]+)$`),
    methods: {
      GET: { handler: getTag, needs: 'metadata_read' },
      PATCH: { handler: updateTag, needs: 'metadata_write' },
      DELETE: { handler: deleteTag, needs: 'delete', audit: 'Untag' },
    },
  },
  { id: 'acr-tags', pattern: new RegExp(`^/acr/v1/${NAME}/_tags$`), methods: { GET: { handler: listTags, needs: 'metadata_read' } } },
  {
    id: 'acr-manifest',
    pattern: new RegExp(`^/acr/v1/${NAME}/_manifests/(?<digest>[^/]+)$`),
    methods: {
      GET: { handler: getManifest, needs: 'metadata_read' },
      PATCH: { handler: updateManifest, needs: 'metadata_write' },
    },
  },
  {
    id: 'acr-manifests',
    pattern: new RegExp(`^/acr/v1/${NAME}/_manifests$`),
    methods: { GET: { handler: listManifests, needs: 'metadata_read' } },
  },
  {
    id: 'acr-repository',
    pattern: new RegExp(`^/acr/v1/${NAME}$`),
    methods: {
      GET: { handler: getRepository, needs: 'metadata_read' },
      PATCH: { handler: updateRepository, needs: 'metadata_write' },
      DELETE: { handler: deleteRepository, needs: 'delete', audit: 'Delete' },
    },
  },
];

function match(method: string, path: string): { route: Route; operation: Operation; params: AcrParams } {
  const found = firstMatch(ROUTES, path);
  if (!found) throw errors.routeNotFound(method, path);
  const operation = found.route.methods[method as Method];
  if (!operation) throw methodNotAllowed(method, path, found.route.methods);
  return { route: found.route, operation, params: found.params as AcrParams };
}

function required(operation: Operation, repository: string): AccessEntry {
  if (operation.needs === 'catalog') return { type: 'registry', name: 'catalog', actions: ['*'] };
  return { type: 'repository', name: repository, actions: [operation.needs] };
}

export function registerAcrRoutes(app: FastifyInstance, services: WharfServices): void {
  const describer = new ManifestDescriber(services.blobStore);
  const dispatch = async (request: FastifyRequest, reply: FastifyReply) => {
    const { path, query } = decodePath(request.url);
    const { route, operation, params } = match(request.method, path);
    request.routeId = route.id;
    // Described before anything can fail, so a refused delete is logged as what it tried.
    if (operation.audit) {
      auditOf(request).repository = {
        operationName: operation.audit,
        repository: params.name ?? '',
        tag: params.reference ?? null,
        digest: null,
      };
    }
    const resolved = await services.directory.resolve(request.headers.host);
    if (!resolved) throw errors.unknownHost(request.headers.host ?? '');
    const repository = params.name !== undefined ? checkRepositoryName(params.name) : '';
    const target = { registry: resolved.registry, loginServer: resolved.loginServer };
    await services.auth.authorize(request, target, required(operation, repository));
    return operation.handler({
      services,
      describer,
      registry: resolved.registry,
      loginServer: resolved.loginServer,
      repo: { registry: resolved.registry.name, repository },
      params,
      query,
      request,
      reply,
    });
  };
  const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
  app.route({ method: methods, url: '/acr/v1', handler: dispatch });
  app.route({ method: methods, url: '/acr/v1/*', handler: dispatch });
}
