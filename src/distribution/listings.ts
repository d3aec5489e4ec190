/**
 * Listings: tags (`/v2/<name>/tags/list`), catalog (`/v2/_catalog`), referrers. Tags and catalog
 * are paged (paging.ts): 1,000 items without `n`, at most 5,000 with it, and every page with
 * more after it links to the next.
 */
import { errors } from '../kernel/errors.js';
import type { Handler } from './context.js';
import { requireDigest } from './digest.js';
import { sendMediaTyped } from './http-helpers.js';
import { MediaTypes } from './manifest-validation.js';
import { fetchPage, linkNext, type PageRequest } from './paging.js';

/** Page size without `n`, and the most one page holds (below the store's own cap, so a cut page is seen). */
const DEFAULT_PAGE_SIZE = 1000;
const MAX_PAGE_SIZE = 5000;

/** `n` and `last`; an `n` above the cap gives a capped page, with its Link to the rest. */
function pageOf(query: URLSearchParams): PageRequest {
  const n = query.get('n');
  const last = query.get('last');
  const page: PageRequest = { n: DEFAULT_PAGE_SIZE };
  if (n !== null) {
    const value = Number(n);
    if (!/^\d+$/.test(n) || !Number.isSafeInteger(value)) throw errors.paginationInvalid(n);
    page.n = Math.min(value, MAX_PAGE_SIZE);
  }
  if (last !== null && last !== '') page.last = last;
  return page;
}

export const listTags: Handler = async (ctx) => {
  const page = pageOf(ctx.query);
  const found = await fetchPage(page, (p) => ctx.services.store.manifests.tags(ctx.repo, p));
  if (found === undefined) throw errors.nameUnknown(ctx.repo.repository);
  linkNext(ctx.reply, `/v2/${ctx.repo.repository}/tags/list`, page, found.items.at(-1), found.more);
  return ctx.reply.send({ name: ctx.repo.repository, tags: found.items });
};

export const catalog: Handler = async (ctx) => {
  const page = pageOf(ctx.query);
  const found = (await fetchPage(page, (p) => ctx.services.store.repositories.catalog(ctx.registry.name, p)))!;
  linkNext(ctx.reply, '/v2/_catalog', page, found.items.at(-1), found.more);
  return ctx.reply.send({ repositories: found.items });
};

export const listReferrers: Handler = async (ctx) => {
  const subject = requireDigest(ctx.params.digest!).value;
  const artifactType = ctx.query.get('artifactType');
  const referrers = await ctx.services.store.manifests.referrers(ctx.repo, subject, artifactType);
  if (artifactType !== null) ctx.reply.header('OCI-Filters-Applied', 'artifactType');
  return sendMediaTyped(
    ctx.reply,
    MediaTypes.ociIndex,
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaTypes.ociIndex,
      manifests: referrers.map((r) => ({
        mediaType: r.mediaType,
        digest: r.digest,
        size: r.size,
        ...(r.artifactType ? { artifactType: r.artifactType } : {}),
        ...(r.annotations ? { annotations: r.annotations } : {}),
      })),
    }),
  );
};
