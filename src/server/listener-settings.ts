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
import type { WharfConfig } from '../kernel/config.js';
import { ConnectionLimiter } from './connection-limits.js';
import { errors } from '../kernel/errors.js';
import { answerClientError as answerParserError } from './plane-errors.js';
import { timeoutMessages } from '../kernel/timeout-messages.js';
import type { BodyPace } from '../kernel/body-watch.js';

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
  /** The parser's refusals in the plane's format (plane-errors.ts); a headers timeout also names its limit and is logged. */
  const answerClientError = (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code !== 'ERR_HTTP_REQUEST_TIMEOUT') return answerParserError(error, socket);
    const seconds = settings.headersTimeoutSeconds;
    if (!socket.destroyed) {
      log.warn({ address: socket.remoteAddress, seconds }, `request cut: its headers did not arrive within ${seconds} s (connections.headersTimeoutSeconds)`);
    }
    // No headers, no Accept-Language: English.
    answerParserError(error, socket, errors.requestTimeout(localize(timeoutMessages, 'headers', { seconds })));
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
