/**
 * Reading small request bodies (manifests, forms, JSON) from the raw stream: the app has no
 * body parsers, because blob uploads are streamed. A cap keeps a client from making the server
 * buffer much; each plane turns BodyTooLarge (and BodyTooSlow, see body-watch.ts) into its own
 * protocol's error.
 *
 * A refused body is left unread, never destroyed (that would take the socket, and the answer,
 * with it): before answering, the app drains what is left of it, within bounds (drainUnreadBody),
 * and closes the connection after the answer when that was not enough.
 */
import type { IncomingMessage } from 'node:http';
import { finished } from 'node:stream';
import { bodyWatchOf, wasCut } from './body-watch.js';

export { BodyTooSlow } from './body-watch.js';

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`the request body is larger than ${limit} bytes`);
  }
}

export async function readBody(stream: IncomingMessage, limit = 1024 * 1024): Promise<Buffer> {
  const declared = Number(stream.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLarge(limit);
  const watch = bodyWatchOf(stream);
  watch?.expectSmall();
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    const settle = (error: Error | null) => {
      if (settled) return;
      settled = true;
      stream.off('data', onData);
      stopWatchingEnd();
      watch?.readWholly(null);
      if (error) {
        stream.pause();
        reject(error);
      } else {
        resolve(Buffer.concat(chunks, total));
      }
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) settle(new BodyTooLarge(limit));
      else chunks.push(chunk);
    };
    const stopWatchingEnd = finished(stream, { writable: false }, (error) => settle(error ?? null));
    watch?.readWholly((error) => settle(error));
    stream.on('data', onData);
  });
}

/** An application/x-www-form-urlencoded body (empty when there is none). */
export async function readForm(stream: IncomingMessage, limit = 64 * 1024): Promise<URLSearchParams> {
  return new URLSearchParams((await readBody(stream, limit)).toString('utf8'));
}

/**
 * Reads and discards what is left of a body nobody will read, at most `maxBytes` and `maxMs`:
 * true when it ended (the connection can serve its next request), false when the connection
 * must close after the answer. A body cut for slowness is not waited for.
 */
export async function drainUnreadBody(stream: IncomingMessage, bounds: { maxBytes: number; maxMs: number }): Promise<boolean> {
  if (stream.complete) return true;
  if (stream.destroyed || wasCut(stream)) return false;
  return new Promise<boolean>((resolve) => {
    let drained = 0;
    const settle = (ended: boolean) => {
      clearTimeout(timer);
      stream.off('data', onData);
      stopWatchingEnd();
      if (!ended) stream.pause();
      resolve(ended);
    };
    const onData = (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > bounds.maxBytes) settle(false);
    };
    const timer = setTimeout(() => settle(false), bounds.maxMs);
    const stopWatchingEnd = finished(stream, { writable: false }, (error) => settle(!error && stream.complete));
    stream.on('data', onData);
    stream.resume();
  });
}
