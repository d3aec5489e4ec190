/**
 * ACR's changeable attributes as gates on registry operations. Each of the repository, a tag
 * and a manifest has readEnabled, writeEnabled, deleteEnabled and listEnabled:
 * - reading (pull of a manifest or blob) needs readEnabled at every level that applies;
 * - writing (pushing to a tag or repository, moving a tag) needs writeEnabled;
 * - deleting needs deleteEnabled and writeEnabled: writeEnabled=false locks an item against
 *   updates and deletion alike, as in ACR's "lock an image";
 * - listEnabled=false hides the item from listings (done by the listing queries).
 * A refusal is a 403 DENIED that names the attribute, where it is set and how to change it,
 * and becomes the reason of the request's audit record.
 */
import type { FastifyRequest } from 'fastify';
import { auditOf } from '../audit/request-audit.js';
import type { ChangeableAttributes, ManifestGates, ManifestRecord, MetadataStore, RepositoryRef } from '../storage/metadata/store.js';
import { acrErrors, type AttributeTarget, type GatedOperation } from './acr-errors.js';

export interface GateLevel {
  target: AttributeTarget;
  attributes: ChangeableAttributes;
}

const NEEDED: Record<GatedOperation, (keyof ChangeableAttributes)[]> = {
  read: ['readEnabled'],
  write: ['writeEnabled'],
  delete: ['writeEnabled', 'deleteEnabled'],
};

/** Throws the first refusal among `levels` (outermost first) for `operation`. */
export function requireEnabled(request: FastifyRequest, operation: GatedOperation, levels: GateLevel[]): void {
  for (const level of levels) {
    for (const attribute of NEEDED[operation]) {
      if (level.attributes[attribute]) continue;
      const error = acrErrors.disallowed(operation, level.target, attribute);
      auditOf(request).reason = error.message;
      throw error;
    }
  }
}

/** The levels that gate one manifest lookup: repository, tag (when looked up by tag), manifest. */
function manifestLevels(ref: RepositoryRef, digest: string, gates: ManifestGates, tag?: string): GateLevel[] {
  const base = { registry: ref.registry, repository: ref.repository };
  const levels: GateLevel[] = [{ target: { level: 'repository', ...base }, attributes: gates.repository }];
  if (tag !== undefined && gates.tag) levels.push({ target: { level: 'tag', ...base, tag }, attributes: gates.tag });
  levels.push({ target: { level: 'manifest', ...base, digest }, attributes: gates.manifest });
  return levels;
}

export function repositoryLevel(ref: RepositoryRef, attributes: ChangeableAttributes): GateLevel {
  return { target: { level: 'repository', registry: ref.registry, repository: ref.repository }, attributes };
}

export function tagLevel(ref: RepositoryRef, tag: string, attributes: ChangeableAttributes): GateLevel {
  return { target: { level: 'tag', registry: ref.registry, repository: ref.repository, tag }, attributes };
}

export function manifestLevel(ref: RepositoryRef, digest: string, attributes: ChangeableAttributes): GateLevel {
  return { target: { level: 'manifest', registry: ref.registry, repository: ref.repository, digest }, attributes };
}

/**
 * Pull of a manifest: readEnabled on the repository, the tag it was looked up by, and the
 * manifest. The pull hot path: nothing is allocated unless something refuses.
 */
export function requireManifestReadable(request: FastifyRequest, ref: RepositoryRef, digest: string, gates: ManifestGates, tag?: string): void {
  if (gates.repository.readEnabled && gates.manifest.readEnabled && (tag === undefined || !gates.tag || gates.tag.readEnabled)) return;
  requireEnabled(request, 'read', manifestLevels(ref, digest, gates, tag));
}

/**
 * The gates of a manifest record for a manifest index that does not read them along with the
 * manifest (the Kysely index does, and its cache keeps them): through the properties index.
 */
export async function loadGates(store: MetadataStore, ref: RepositoryRef, record: ManifestRecord, tag?: string): Promise<ManifestGates> {
  const [repository, manifest, tagged] = await Promise.all([
    store.properties.repository(ref),
    store.properties.manifest(ref, record.digest),
    tag === undefined ? undefined : store.properties.tag(ref, tag),
  ]);
  return {
    repository: repository?.changeableAttributes ?? ALL_ENABLED,
    manifest: manifest?.changeableAttributes ?? ALL_ENABLED,
    ...(tagged ? { tag: tagged.changeableAttributes } : {}),
  };
}

/** The repository's attributes; a repository not known yet has the defaults. */
export async function repositoryAttributes(store: MetadataStore, ref: RepositoryRef): Promise<ChangeableAttributes> {
  return (await store.properties.repository(ref))?.changeableAttributes ?? ALL_ENABLED;
}

export const ALL_ENABLED: ChangeableAttributes = Object.freeze({
  deleteEnabled: true,
  writeEnabled: true,
  readEnabled: true,
  listEnabled: true,
});
