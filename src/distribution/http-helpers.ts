/** Small HTTP helpers shared by the distribution handlers. */
import type { IncomingMessage } from 'node:http';
import type { FastifyReply } from 'fastify';
import { BodyTooLarge, readBody as readSmallBody } from '../kernel/body.js';
import { errors } from '../kernel/errors.js';
import type { ByteRange } from '../storage/blob/blob-store.js';
import type { ChunkRange } from './upload-sessions.js';
import { localize } from '../i18n/localized.js';
import { distributionMessages } from './distribution-messages.js';

export function contentLengthOf(request: IncomingMessage): number | null {
  const header = request.headers['content-length'];
  if (header === undefined) return null;
  const value = Number(header);
  if (!Number.isSafeInteger(value) || value < 0) throw errors.sizeInvalid(localize(distributionMessages, 'contentLengthNotBytes', { header }));
  return value;
}

/** Whether the request carries a body at all (a length above zero, or chunked transfer). */
export function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return request.headers['transfer-encoding'] !== undefined;
}

/**
 * Sends a body with exactly `mediaType` as its Content-Type. Fastify appends `; charset=utf-8`
 * to a string payload whose type contains "json"; a Buffer it leaves alone, and a registered
 * media type such as the referrers' image index takes no parameters.
 */
export function sendMediaTyped(reply: FastifyReply, mediaType: string, body: string | Buffer): FastifyReply {
  reply.header('Content-Type', mediaType);
  return reply.send(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
}

/** Reads a whole (small) body, refusing more than `limit` bytes. */
export async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  try {
    return await readSmallBody(request, limit);
  } catch (error) {
    if (error instanceof BodyTooLarge) throw errors.manifestTooLarge(limit);
    throw error;
  }
}

/** An upload chunk's Content-Range: `<start>-<end>` (Distribution's form), or `bytes <start>-<end>/<total>`. */
export function parseChunkRange(header: string | undefined, currentSize: number): ChunkRange | null {
  if (header === undefined) return null;
  const match = /^(?:bytes[ =])?(\d+)-(\d+)(?:\/(?:\d+|\*))?$/.exec(header.trim());
  if (!match) throw errors.rangeInvalid(localize(distributionMessages, 'contentRangeMalformed', { header }), currentSize);
  const start = Number(match[1]);
  const end = Number(match[2]);
  if (end < start) throw errors.rangeInvalid(localize(distributionMessages, 'contentRangeBackwards', { header }), currentSize);
  return { start, end };
}

/**
 * A blob GET's Range header (RFC 9110 byte ranges, first range only). Null means the whole
 * blob; an unsatisfiable range is a 416.
 */
export function parseByteRange(header: string | undefined, size: number): ByteRange | null {
  if (header === undefined) return null;
  const match = /^bytes=(\d*)-(\d*)(?:,.*)?$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) throw errors.blobRangeInvalid(header, size);
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) throw errors.blobRangeInvalid(header, size);
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) throw errors.blobRangeInvalid(header, size);
  return { start, end };
}

/** Range header value for an upload of `size` bytes, as Distribution writes it. */
export function uploadRange(size: number): string {
  return `0-${Math.max(size - 1, 0)}`;
}
