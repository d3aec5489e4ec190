/**
 * Paged listings, shared by /v2 and /acr/v1: a page is fetched with one item more than it
 * holds, so a page cut short for any reason (the page size asked for, or the server's cap)
 * carries `Link: <path?last=…&n=…>; rel="next"` (RFC 8288), and the last page does not.
 * skopeo, az, the Azure SDKs and Distribution's own clients follow that header.
 */
import type { FastifyReply } from 'fastify';

export interface PageRequest {
  /** Items on this page (already capped by the caller). */
  n: number;
  /** The last item of the previous page. */
  last?: string;
}

export async function fetchPage<T, P extends PageRequest>(
  page: P,
  fetch: (page: P) => Promise<T[] | undefined>,
): Promise<{ items: T[]; more: boolean } | undefined> {
  if (page.n === 0) {
    // Asked for nothing: an empty page (no Link, or a client would follow it forever), but an
    // unknown repository is still unknown.
    const probe = await fetch({ ...page, n: 1 });
    return probe && { items: [], more: false };
  }
  const items = await fetch({ ...page, n: page.n + 1 });
  if (!items) return undefined;
  return { items: items.slice(0, page.n), more: items.length > page.n };
}

/** Sets the next-page Link when there is more: `extra` (orderby, digest…) is carried along. */
export function linkNext(
  reply: FastifyReply,
  path: string,
  page: PageRequest,
  lastItem: string | undefined,
  more: boolean,
  extra: Record<string, string> = {},
): void {
  if (!more || lastItem === undefined) return;
  const next = new URLSearchParams({ last: lastItem, n: String(page.n), ...extra });
  reply.header('Link', `<${path}?${next.toString()}>; rel="next"`);
}
