/**
 * Reading small request bodies (forms, JSON) from the raw stream: the app has no body parsers,
 * because blob uploads are streamed. A cap keeps a client from making the server buffer much.
 */
import type { FastifyRequest } from 'fastify';

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`the request body is larger than ${limit} bytes`);
  }
}

export async function readBody(request: FastifyRequest, limit = 1024 * 1024): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLarge(limit);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request.raw) {
    total += (chunk as Buffer).length;
    if (total > limit) throw new BodyTooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** An application/x-www-form-urlencoded body (empty when there is none). */
export async function readForm(request: FastifyRequest, limit = 64 * 1024): Promise<URLSearchParams> {
  return new URLSearchParams((await readBody(request, limit)).toString('utf8'));
}
