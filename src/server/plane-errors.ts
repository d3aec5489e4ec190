/**
 * Failures no plane's own handler saw: a URL the framework could not parse, a malformed
 * Content-Type, a percent-encoding or JSON a handler let through, headers Node's HTTP parser
 * refused. Each is a client error (4xx, never a generic 500), rendered in the protocol of the
 * plane the URL belongs to: OCI errors for the registry APIs, ARM's or Graph's error for the
 * management plane, OAuth/Entra errors for the identity plane and IMDS.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { FastifyRequest } from 'fastify';
import type { Language } from '../i18n/index.js';
import { EntraError } from '../identity/entra-errors.js';
import { ArmError } from '../kernel/arm-errors.js';
import { graphErrorBody } from '../management/graph/graph-errors.js';
import { errors, RegistryError } from '../kernel/errors.js';
import { localize } from '../i18n/localized.js';
import { distributionMessages } from '../distribution/distribution-messages.js';

type Plane = 'registry' | 'arm' | 'graph' | 'identity' | 'imds';

const IDENTITY_PATH = /^\/[^/]+\/(?:oauth2\/|v2\.0\/\.well-known\/|\.well-known\/|discovery\/)/;

/** Which API a request URL (path and query, as received) belongs to. */
export function planeOf(url: string): Plane {
  const path = url.split('?')[0]!.toLowerCase();
  if (path === '/v2' || path.startsWith('/v2/') || path.startsWith('/acr/') || path.startsWith('/oauth2/')) return 'registry';
  if (path === '/subscriptions' || path.startsWith('/subscriptions/') || path.startsWith('/providers/')) return 'arm';
  if (path.startsWith('/v1.0/')) return 'graph';
  if (path.startsWith('/metadata/identity/')) return 'imds';
  if (path.startsWith('/adfs/') || IDENTITY_PATH.test(path)) return 'identity';
  return 'registry';
}

const ARM_CODES: Record<number, string> = {
  408: 'RequestTimeout',
  413: 'RequestEntityTooLarge',
  414: 'RequestUriTooLong',
  415: 'UnsupportedMediaType',
  431: 'RequestHeaderFieldsTooLarge',
  500: 'InternalServerError',
};

/** `failure` (status and message) in `plane`'s error format. */
export function planeErrorBody(plane: Plane, failure: RegistryError, ids: { requestId: string; clientRequestId?: string }, language: Language): unknown {
  switch (plane) {
    case 'arm':
      return new ArmError(failure.status, ARM_CODES[failure.status] ?? 'BadRequest', failure.text).toBody(language);
    case 'graph':
      return graphErrorBody(
        new ArmError(failure.status, ARM_CODES[failure.status] ?? 'BadRequest', failure.text),
        ids.requestId,
        ids.clientRequestId,
        language,
      );
    case 'identity': {
      // AADSTS90023 (invalid request) and 90033 (a transient server error), as Entra answers them.
      const entra =
        failure.status >= 500
          ? new EntraError(failure.status, 'server_error', 90033, failure.text)
          : new EntraError(failure.status, 'invalid_request', 90023, failure.text);
      return entra.toBody({ traceId: ids.requestId, correlationId: ids.clientRequestId ?? ids.requestId }, new Date(), language);
    }
    case 'imds':
      return { error: failure.status >= 500 ? 'server_error' : 'invalid_request', error_description: failure.messageIn(language) };
    default:
      return failure.toBody(language);
  }
}

/** The request's ids as the planes quote them (the client's correlation id only when it is a GUID). */
export function requestIds(request: Pick<FastifyRequest, 'id' | 'headers'>): { requestId: string; clientRequestId?: string } {
  const header = request.headers['client-request-id'] ?? request.headers['x-ms-client-request-id'];
  const clientRequestId = typeof header === 'string' && /^[0-9a-f-]{36}$/i.test(header) ? header.toLowerCase() : undefined;
  return { requestId: request.id, ...(clientRequestId ? { clientRequestId } : {}) };
}

/**
 * The client error an exception that is not a RegistryError stands for, or undefined when it is
 * the server's own failure. Framework errors keep their 4xx status, except a malformed
 * Content-Type, which is a bad request (400), not a media type the route does not take.
 */
export function clientErrorOf(error: unknown, request: Pick<FastifyRequest, 'headers'>): RegistryError | undefined {
  const failure = error as { code?: unknown; statusCode?: unknown; message?: unknown };
  if (failure.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return errors.malformedContentType(String(request.headers['content-type'] ?? '').slice(0, 200));
  if (error instanceof URIError) return errors.malformedEncoding();
  if (error instanceof SyntaxError && /JSON/.test(error.message)) return errors.malformedJson(error.message);
  if (typeof failure.statusCode === 'number' && failure.statusCode >= 400 && failure.statusCode < 500) {
    return errors.badRequest(localize(distributionMessages, 'httpRefused', { detail: String(failure.message) }), failure.statusCode);
  }
  return undefined;
}

/** The failure behind Node's HTTP parser's refusal (a clientError, before any request exists). */
function parserFailure(error: { code?: string }): RegistryError {
  if (error.code === 'HPE_HEADER_OVERFLOW') return errors.headersTooLarge();
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return errors.requestTimeout();
  return errors.malformedRequest();
}

/**
 * Fastify's clientErrorHandler: the parser's refusal (oversized headers, a request that is not
 * HTTP) in the format of the plane the request line names, when the parser got that far.
 */
export function answerClientError(error: Error & { code?: string; rawPacket?: unknown }, socket: Socket, failure = parserFailure(error)): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // Node gives the bytes it had read; the request line (method, URL) names the plane.
  const raw = Buffer.isBuffer(error.rawPacket) ? error.rawPacket : undefined;
  const requestLine = raw?.subarray(0, 8192).toString('latin1').split('\r\n', 1)[0] ?? '';
  const url = /^[A-Z]+ (\S+)/.exec(requestLine)?.[1] ?? '/';
  const body = JSON.stringify(planeErrorBody(planeOf(url), failure, { requestId: randomUUID() }, 'en'));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${failure.status} ${failure.status === 431 ? 'Request Header Fields Too Large' : failure.status === 408 ? 'Request Timeout' : 'Bad Request'}\r\n` +
        `Connection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
