/** /acr/v1 catalog and repository properties: list, show, update attributes, delete. */
import { errors } from '../kernel/errors.js';
import { LockedContent } from '../storage/metadata/kysely-properties.js';
import type { RepositoryRef } from '../storage/metadata/store.js';
import { ALL_ENABLED, manifestLevel, repositoryLevel, requireEnabled, tagLevel, type GateLevel } from '../distribution/changeable-attributes.js';
import type { AcrHandler } from './context.js';
import { readAttributeChange } from './attribute-change.js';
import { acrErrors } from '../distribution/acr-errors.js';
import { fetchPage, linkNext, pageOf } from './paging.js';
import { repositoryView } from './views.js';

/** GET /acr/v1/_catalog: repositories in byte order; listEnabled=false ones are hidden. */
export const listRepositories: AcrHandler = async ({ services, registry, query, reply }) => {
  const page = pageOf(query);
  const { items, more } = (await fetchPage(page, (p) => services.store.repositories.catalog(registry.name, { n: p.n, last: p.last })))!;
  linkNext(reply, '/acr/v1/_catalog', page, items.at(-1), more);
  return reply.send({ repositories: items });
};

export const getRepository: AcrHandler = async ({ services, registry, loginServer, repo, reply }) => {
  const properties = await services.store.properties.repository(repo);
  if (!properties) throw acrErrors.repositoryUnknown(registry.name, repo.repository);
  return reply.send(repositoryView(loginServer, properties));
};

export const updateRepository: AcrHandler = async ({ services, registry, loginServer, repo, request, reply }) => {
  const change = await readAttributeChange(request.raw);
  const properties = await services.store.properties.updateRepository(repo, change);
  if (!properties) throw acrErrors.repositoryUnknown(registry.name, repo.repository);
  return reply.send(repositoryView(loginServer, properties));
};

/** DELETE /acr/v1/{name}: every manifest and tag, at once; refused if anything in it is locked. */
export const deleteRepository: AcrHandler = async ({ services, registry, repo, request, reply }) => {
  if (!registry.deletesEnabled) throw errors.deletesDisabled(registry.name);
  let deleted;
  try {
    deleted = await services.store.properties.deleteRepository(repo);
  } catch (error) {
    if (!(error instanceof LockedContent)) throw error;
    // Always throws: the level refuses the delete, in the words of every other gate.
    requireEnabled(request, 'delete', [lockedLevel(repo, error)]);
    throw error;
  }
  if (!deleted) throw acrErrors.repositoryUnknown(registry.name, repo.repository);
  return reply.code(202).send({ manifestsDeleted: deleted.manifestsDeleted, tagsDeleted: deleted.tagsDeleted });
};

/** The level that refused the delete, with the attribute that refused it. */
function lockedLevel(repo: RepositoryRef, locked: LockedContent): GateLevel {
  const attributes = { ...ALL_ENABLED, [locked.attribute]: false };
  if (locked.level === 'repository') return repositoryLevel(repo, attributes);
  return locked.level === 'tag' ? tagLevel(repo, locked.item, attributes) : manifestLevel(repo, locked.item, attributes);
}
