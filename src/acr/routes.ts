/**
 * ACR's data-plane API `/acr/v1/…` (swagger 2021-07-01): catalog, repository, tag and manifest
 * properties with their changeable attributes, untag and repository delete. Names contain
 * slashes and the Azure SDKs percent-encode them (`demo%2Fhello`), so the path is decoded
 * segment by segment, as for /v2. `api-version` is accepted and ignored.
 * Every route declares what it needs and the data-plane pipeline (distribution/data-plane-pipeline.ts)
 * authorizes it first: the catalog needs `registry:catalog:*`, reads `metadata_read`, PATCH
 * `metadata_write`, deletes `delete`.
 */
import type { FastifyInstance } from 'fastify';
import type { MetadataStore } from '../storage/metadata/store.js';
import type { BlobStore } from '../storage/blob/blob-store.js';
import { DATA_PLANE_METHODS, dataPlaneDispatcher, type DataPlaneAuthorizer, type DataPlaneRoute } from '../distribution/data-plane-pipeline.js';
import type { AcrHandler, AcrServices } from './context.js';
import { ManifestDescriber } from './manifest-description.js';
import { getManifest, listManifests, updateManifest } from './manifest-handlers.js';
import { deleteRepository, getRepository, listRepositories, updateRepository } from './repository-handlers.js';
import { deleteTag, getTag, listTags, updateTag } from './tag-handlers.js';

const NAME = '(?<name>.+?)';
const ROUTES: DataPlaneRoute<AcrHandler>[] = [
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

/** What /acr/v1 uses: the metadata store, the blob store (to describe manifests) and the authorizer. */
export interface AcrPlane {
  store: MetadataStore;
  blobStore: BlobStore;
  auth: DataPlaneAuthorizer;
}

export function registerAcrRoutes(app: FastifyInstance, plane: AcrPlane): void {
  const services: AcrServices = { store: plane.store, describer: new ManifestDescriber(plane.blobStore) };
  const dispatch = dataPlaneDispatcher(ROUTES, plane.auth, services);
  app.route({ method: DATA_PLANE_METHODS, url: '/acr/v1', handler: dispatch });
  app.route({ method: DATA_PLANE_METHODS, url: '/acr/v1/*', handler: dispatch });
}
