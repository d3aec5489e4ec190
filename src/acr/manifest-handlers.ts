/** /acr/v1 manifests: list (paged, ordered), show, update attributes. */
import { requireDigest } from '../distribution/digest.js';
import type { AcrHandler } from './context.js';
import { readAttributeChange } from './attribute-change.js';
import { acrErrors } from '../distribution/acr-errors.js';
import { fetchPage, linkNext, pageOf } from './paging.js';
import { manifestView } from './views.js';

export const listManifests: AcrHandler = async ({ services, registry, loginServer, repo, query, reply }) => {
  const page = pageOf(query, { orderby: true });
  if (page.last !== undefined && page.orderby && page.orderby !== 'none') {
    if (!(await services.store.properties.manifest(repo, page.last))) throw acrErrors.pagePositionUnknown('manifest', page.last);
  }
  const found = await fetchPage(page, (p) => services.store.properties.manifests(repo, p));
  if (!found) throw acrErrors.repositoryUnknown(registry.name, repo.repository);
  linkNext(reply, `/acr/v1/${repo.repository}/_manifests`, page, found.items.at(-1)?.digest, found.more);
  const views = await Promise.all(found.items.map((m) => manifestView(services.describer, m)));
  return reply.send({ registry: loginServer, imageName: repo.repository, manifests: views });
};

export const getManifest: AcrHandler = async ({ services, loginServer, repo, params, reply }) => {
  const digest = requireDigest(params.digest!).value;
  const manifest = await services.store.properties.manifest(repo, digest);
  if (!manifest) throw acrErrors.manifestUnknown(repo.repository, digest);
  return reply.send({ registry: loginServer, imageName: repo.repository, manifest: await manifestView(services.describer, manifest) });
};

export const updateManifest: AcrHandler = async ({ services, loginServer, repo, params, request, reply }) => {
  const digest = requireDigest(params.digest!).value;
  const change = await readAttributeChange(request.raw);
  const manifest = await services.store.properties.updateManifest(repo, digest, change);
  if (!manifest) throw acrErrors.manifestUnknown(repo.repository, digest);
  return reply.send({ registry: loginServer, imageName: repo.repository, manifest: await manifestView(services.describer, manifest) });
};
