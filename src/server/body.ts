/**
 * Reading small request bodies (manifests, forms, JSON) from the raw stream: the app has no
 * body parsers, because blob uploads are streamed. A cap keeps a client from making the server
 * buffer much; each plane turns BodyTooLarge into its own protocol's error.
 */
import type { IncomingMessage } from 'node:http';

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`the request body is larger than ${limit} bytes`);
  }
}

export async function readBody(stream: IncomingMessage, limit = 1024 * 1024): Promise<Buffer> {
  const declared = Number(stream.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLarge(limit);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += (chunk as Buffer).length;
    if (total > limit) throw new BodyTooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, total);
}

/** An application/x-www-form-urlencoded body (empty when there is none). */
export async function readForm(stream: IncomingMessage, limit = 64 * 1024): Promise<URLSearchParams> {
  return new URLSearchParams((await readBody(stream, limit)).toString('utf8'));
}
