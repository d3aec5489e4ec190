/**
 * HTTP plumbing of the identity plane: form bodies (read from the raw stream, the app has no
 * body parsers), the origin clients reached us at, JSON answers with Entra's headers, and
 * Entra-shaped errors.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EntraError, entraErrors } from './entra-errors.js';
import { BodyTooLarge, BodyTooSlow, readForm as readFormBody } from '../kernel/body.js';
import { localizedErrorBody } from '../audit/localized-error-body.js';

const FORM_LIMIT = 1024 * 1024;

/** Reads an `application/x-www-form-urlencoded` body (at most FORM_LIMIT bytes). */
export async function readForm(request: FastifyRequest): Promise<URLSearchParams> {
  try {
    return await readFormBody(request.raw, FORM_LIMIT);
  } catch (error) {
    if (error instanceof BodyTooLarge) throw entraErrors.bodyTooLarge(FORM_LIMIT);
    // Cut for slowness (kernel/body-watch.ts): 408, AADSTS90023 (invalid request).
    if (error instanceof BodyTooSlow) throw new EntraError(408, 'invalid_request', 90023, error.why);
    throw error;
  }
}

/** A form parameter, trimmed; undefined when absent or empty. */
export function param(form: URLSearchParams, name: string): string | undefined {
  const value = form.get(name)?.trim();
  return value ? value : undefined;
}

const HOST_HEADER = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** `https://<Host>` as the client addressed us: issuers and endpoints are built from it. */
export function originOf(request: FastifyRequest, plainHttp: boolean): string {
  const host = request.headers.host ?? '';
  return `${plainHttp ? 'http' : 'https'}://${HOST_HEADER.test(host) ? host.toLowerCase() : 'localhost'}`;
}

/** Loopback callers only: 127.0.0.0/8, ::1, and IPv4-mapped loopback. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const v4 = mapped ? mapped[1]! : address;
  if (isIPv4(v4)) return v4.split('.')[0] === '127';
  return isIPv6(address) && /^(?:0{0,4}:){7}0{0,3}1$|^::1$/.test(address);
}

/** Entra's answers are never cached. */
function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('Cache-Control', 'no-store, no-cache').header('Pragma', 'no-cache');
}

export function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return noStore(reply).code(status).header('Content-Type', 'application/json; charset=utf-8').send(JSON.stringify(body));
}

/** The ids an Entra error quotes: the trace id is our request id; the correlation id the client's, if it sent one. */
function errorIds(request: FastifyRequest): { traceId: string; correlationId: string } {
  const fromClient = request.headers['client-request-id'] ?? (request.query as Record<string, unknown> | undefined)?.['client-request-id'];
  const correlationId = typeof fromClient === 'string' && /^[0-9a-f-]{36}$/i.test(fromClient) ? fromClient.toLowerCase() : request.id;
  return { traceId: request.id, correlationId };
}

function sendEntraError(request: FastifyRequest, reply: FastifyReply, error: EntraError): FastifyReply {
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  const ids = errorIds(request);
  const now = new Date();
  return sendJson(
    reply,
    error.status,
    localizedErrorBody(request, (language) => error.toBody(ids, now, language)),
  );
}

/** Runs a handler; EntraErrors become Entra-shaped answers, anything else a logged server_error. */
export async function answer(request: FastifyRequest, reply: FastifyReply, handler: () => Promise<FastifyReply>): Promise<FastifyReply> {
  try {
    return await handler();
  } catch (error) {
    if (error instanceof EntraError) return sendEntraError(request, reply, error);
    // A client that went away mid-body is the app's error handler's business (it logs a warning).
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE') throw error;
    request.log.error({ err: error }, 'identity plane error');
    return sendEntraError(request, reply, entraErrors.internal());
  }
}
