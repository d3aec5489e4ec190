/** Listings: tags (`/v2/<name>/tags/list`), catalog (`/v2/_catalog`), referrers. */
import { errors } from '../server/errors.js';
import type { Handler, HandlerContext } from './context.js';
import { requireDigest } from './digest.js';
import type { Page } from '../storage/metadata/store.js';
import { MediaTypes } from './manifest-validation.js';

function pageOf(query: URLSearchParams): Page {
  const n = query.get('n');
  const last = query.get('last');
  const page: Page = {};
  if (n !== null) {
    const value = Number(n);
    if (!/^\d+$/.test(n) || !Number.isSafeInteger(value)) throw errors.paginationInvalid(n);
    page.n = value;
  }
  if (last !== null) page.last = last;
  return page;
}

/** Adds `Link: <path?last=…&n=…>; rel="next"` when the page was full. */
function linkNext(ctx: HandlerContext, path: string, page: Page, items: string[]): void {
  if (page.n === undefined || page.n === 0 || items.length < page.n) return;
  const next = new URLSearchParams({ last: items[items.length - 1]!, n: String(page.n) });
  ctx.reply.header('Link', `<${path}?${next.toString()}>; rel="next"`);
}

export const listTags: Handler = async (ctx) => {
  const page = pageOf(ctx.query);
  const tags = await ctx.services.store.manifests.tags(ctx.repo, page);
  if (tags === undefined) throw errors.nameUnknown(ctx.repo.repository);
  linkNext(ctx, `/v2/${ctx.repo.repository}/tags/list`, page, tags);
  return ctx.reply.send({ name: ctx.repo.repository, tags });
};

export const catalog: Handler = async (ctx) => {
  const page = pageOf(ctx.query);
  const repositories = await ctx.services.store.repositories.catalog(ctx.registry.name, page);
  linkNext(ctx, '/v2/_catalog', page, repositories);
  return ctx.reply.send({ repositories });
};

export const listReferrers: Handler = async (ctx) => {
  const subject = requireDigest(ctx.params.digest!).value;
  const artifactType = ctx.query.get('artifactType');
  const referrers = await ctx.services.store.manifests.referrers(ctx.repo, subject, artifactType);
  if (artifactType !== null) ctx.reply.header('OCI-Filters-Applied', 'artifactType');
  ctx.reply.header('Content-Type', MediaTypes.ociIndex);
  return ctx.reply.send(
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
