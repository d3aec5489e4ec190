/**
 * What every listener of this server (the main one and each private endpoint's) gets: the
 * headers and keep-alive timeouts, the per-address connection limit, and a 408 in the OCI
 * error format for a request whose headers did not arrive in time. Bodies are watched per
 * request (body-watch.ts): Node's requestTimeout stays off, being a fixed total that would cut
 * long uploads.
 */
import type { Server as HttpServer } from 'node:http';
import type { Socket } from 'node:net';
import { localize } from '../i18n/localized.js';
import type { WharfConfig } from './config.js';
import { ConnectionLimiter } from './connection-limits.js';
import { errors } from './errors.js';
import { timeoutMessages } from './timeout-messages.js';
import type { BodyPace } from './body-watch.js';

interface Logger {
  warn(fields: object, message: string): void;
  debug(fields: object, message: string): void;
}

export interface ListenerSettings {
  /** For http(s).createServer: how often Node checks the headers timeout. */
  serverOptions: { connectionsCheckingInterval: number };
  keepAliveTimeoutMs: number;
  bodyPace: BodyPace;
  /** Timeouts and the connection limit on a created server. */
  configure(server: HttpServer): void;
  /** The server's 'clientError' handler. */
  answerClientError(error: NodeJS.ErrnoException, socket: Socket): void;
}

export function listenerSettings(config: WharfConfig, log: Logger): ListenerSettings {
  const settings = config.connections;
  const headersTimeoutMs = settings.headersTimeoutSeconds * 1000;
  const limiter = new ConnectionLimiter(settings.maxPerAddress, config.network.trustedProxies, log);
  const answerClientError = (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    let status = 400;
    let body: unknown;
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      status = 408;
      const seconds = settings.headersTimeoutSeconds;
      log.warn({ address: socket.remoteAddress, seconds }, `request cut: its headers did not arrive within ${seconds} s (connections.headersTimeoutSeconds)`);
      // No headers, no Accept-Language: English.
      body = errors.requestTimeout(localize(timeoutMessages, 'headers', { seconds })).toBody();
    } else if (error.code === 'HPE_HEADER_OVERFLOW') {
      status = 431;
      body = errors.frameworkBadRequest('the request headers are too large').toBody();
    } else {
      log.debug({ err: error, address: socket.remoteAddress }, 'malformed request');
      body = errors.frameworkBadRequest(error.message).toBody();
    }
    if (socket.writable) {
      const text = JSON.stringify(body);
      const reason = status === 408 ? 'Request Timeout' : status === 431 ? 'Request Header Fields Too Large' : 'Bad Request';
      socket.write(
        `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
      );
    }
    socket.destroySoon();
  };
  return {
    // Checked this often: at most a fifth of the timeout late, and not busier than every 250 ms.
    serverOptions: { connectionsCheckingInterval: Math.min(30_000, Math.max(250, Math.floor(headersTimeoutMs / 5))) },
    keepAliveTimeoutMs: settings.keepAliveTimeoutSeconds * 1000,
    bodyPace: {
      idleMs: settings.bodyIdleTimeoutSeconds * 1000,
      smallBodyMs: settings.smallBodyTimeoutSeconds * 1000,
      minBytesPerSecond: settings.bodyMinBytesPerSecond,
      rateWindowMs: settings.bodyRateWindowSeconds * 1000,
    },
    configure(server) {
      server.headersTimeout = headersTimeoutMs;
      server.keepAliveTimeout = settings.keepAliveTimeoutSeconds * 1000;
      server.requestTimeout = 0;
      limiter.attach(server);
    },
    answerClientError,
  };
}
