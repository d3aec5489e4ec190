/**
 * Paging of /acr/v1 listings: `n` (page size, default 100 as in ACR, at most 1000), `last`
 * (the last item of the previous page), `orderby` (timeasc | timedesc | none) and, for tags,
 * a `digest` filter. A page with more after it gets a `Link: <…>; rel="next"` header
 * (distribution/paging.ts), which the Azure SDKs and az follow verbatim; an `n` above the cap
 * gives a capped page, with its Link.
 */
import type { FastifyReply } from 'fastify';
import { requireDigest } from '../distribution/digest.js';
import { errors } from '../kernel/errors.js';
import type { PropertyOrder } from '../storage/metadata/store.js';
import { acrErrors } from '../distribution/acr-errors.js';
import { linkNext as linkNextPage } from '../distribution/paging.js';

export { fetchPage } from '../distribution/paging.js';

const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

interface AcrPage {
  n: number;
  last?: string;
  orderby?: PropertyOrder;
  digest?: string;
}

const ORDERS: Record<string, PropertyOrder> = { timeasc: 'timeasc', timedesc: 'timedesc', none: 'none', '': 'none' };

export function pageOf(query: URLSearchParams, accepts: { orderby?: boolean; digest?: boolean } = {}): AcrPage {
  const page: AcrPage = { n: DEFAULT_PAGE_SIZE };
  const n = query.get('n');
  if (n !== null) {
    if (!/^\d+$/.test(n) || !Number.isSafeInteger(Number(n))) throw errors.paginationInvalid(n);
    page.n = Math.min(Number(n), MAX_PAGE_SIZE);
  }
  const last = query.get('last');
  if (last !== null && last !== '') page.last = last;
  const orderby = query.get('orderby');
  if (accepts.orderby && orderby !== null) {
    const order = ORDERS[orderby.toLowerCase()];
    if (!order) throw acrErrors.orderInvalid(orderby);
    page.orderby = order;
  }
  const digest = query.get('digest');
  if (accepts.digest && digest !== null && digest !== '') page.digest = requireDigest(digest).value;
  return page;
}

/** Adds the next-page Link (with the same orderby and digest) when there is more. */
export function linkNext(reply: FastifyReply, path: string, page: AcrPage, lastItem: string | undefined, more: boolean): void {
  const extra: Record<string, string> = {};
  if (page.orderby && page.orderby !== 'none') extra.orderby = page.orderby;
  if (page.digest) extra.digest = page.digest;
  linkNextPage(reply, path, page, lastItem, more, extra);
}
