/** /acr/v1 tags: list (paged, ordered, filtered by digest), show, update attributes, untag. */
import { auditOf } from '../audit/request-audit.js';
import { checkTag } from '../distribution/names.js';
import { errors } from '../kernel/errors.js';
import { repositoryAttributes, repositoryLevel, requireEnabled, tagLevel } from '../distribution/changeable-attributes.js';
import type { AcrHandler } from './context.js';
import { readAttributeChange } from './attribute-change.js';
import { acrErrors } from '../distribution/acr-errors.js';
import { fetchPage, linkNext, pageOf } from './paging.js';
import { tagView } from './views.js';

export const listTags: AcrHandler = async ({ services, registry, loginServer, repo, query, reply }) => {
  const page = pageOf(query, { orderby: true, digest: true });
  if (page.last !== undefined && page.orderby && page.orderby !== 'none') {
    if (!(await services.store.properties.tag(repo, page.last))) throw acrErrors.pagePositionUnknown('tag', page.last);
  }
  const found = await fetchPage(page, (p) => services.store.properties.tags(repo, p));
  if (!found) throw acrErrors.repositoryUnknown(registry.name, repo.repository);
  linkNext(reply, `/acr/v1/${repo.repository}/_tags`, page, found.items.at(-1)?.name, found.more);
  return reply.send({ registry: loginServer, imageName: repo.repository, tags: found.items.map(tagView) });
};

export const getTag: AcrHandler = async ({ services, loginServer, repo, params, reply }) => {
  const name = checkTag(params.reference!);
  const tag = await services.store.properties.tag(repo, name);
  if (!tag) throw acrErrors.tagUnknown(repo.repository, name);
  return reply.send({ registry: loginServer, imageName: repo.repository, tag: tagView(tag) });
};

export const updateTag: AcrHandler = async ({ services, loginServer, repo, params, request, reply }) => {
  const name = checkTag(params.reference!);
  const change = await readAttributeChange(request.raw);
  const tag = await services.store.properties.updateTag(repo, name, change);
  if (!tag) throw acrErrors.tagUnknown(repo.repository, name);
  return reply.send({ registry: loginServer, imageName: repo.repository, tag: tagView(tag) });
};

/** DELETE /acr/v1/{name}/_tags/{tag}: removes the tag only; the manifest stays. */
export const deleteTag: AcrHandler = async ({ services, registry, repo, params, request, reply }) => {
  if (!registry.deletesEnabled) throw errors.deletesDisabled(registry.name);
  const name = checkTag(params.reference!);
  const tag = await services.store.properties.tag(repo, name);
  if (!tag) throw acrErrors.tagUnknown(repo.repository, name);
  const event = auditOf(request).repository;
  if (event) event.digest = tag.digest;
  requireEnabled(request, 'delete', [repositoryLevel(repo, await repositoryAttributes(services.store, repo)), tagLevel(repo, name, tag.changeableAttributes)]);
  // Through the manifest index, so its cache forgets the tag.
  if (!(await services.store.manifests.untag(repo, name))) throw acrErrors.tagUnknown(repo.repository, name);
  return reply.code(202).send();
};
