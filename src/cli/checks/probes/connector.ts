/**
 * How check-health and check-pull reach a registry for HTTP: an undici Agent whose connector
 * opens the TCP connection itself (directly, or through the proxy's CONNECT tunnel) and then
 * TLS with the CA the client trusts. Every HTTP probe thus travels the path the TCP, proxy and
 * TLS probes just checked.
 */
import { connect as tlsConnect } from 'node:tls';
import type { Socket } from 'node:net';
import { Agent, type buildConnector } from 'undici';
import { openTunnel, proxyFor } from './proxy.js';
import { openTcp } from './tcp.js';

interface ConnectorSettings {
  ca?: string;
  timeoutMs: number;
  env: NodeJS.ProcessEnv;
}

export function registryAgent(settings: ConnectorSettings): Agent {
  const connect: buildConnector.connector = (options, callback) => {
    const host = options.hostname;
    const port = Number(options.port) || (options.protocol === 'https:' ? 443 : 80);
    const proxy = proxyFor(host, port, settings.env);
    const opened: Promise<Socket> = proxy ? openTunnel(proxy.url, host, port, settings.timeoutMs, settings.ca) : openTcp(host, port, settings.timeoutMs);
    opened.then(
      (socket) => {
        if (options.protocol !== 'https:') return callback(null, socket);
        const servername = options.servername || (/^[\d.]+$|:/.test(host) ? undefined : host);
        const tls = tlsConnect({ socket, servername, ...(settings.ca ? { ca: settings.ca } : {}), rejectUnauthorized: true, ALPNProtocols: ['http/1.1'] });
        const timer = setTimeout(() => tls.destroy(new Error(`no TLS answer within ${settings.timeoutMs} ms`)), settings.timeoutMs);
        tls.once('secureConnect', () => {
          clearTimeout(timer);
          tls.removeAllListeners('error');
          callback(null, tls);
        });
        tls.once('error', (error) => {
          clearTimeout(timer);
          callback(error, null);
        });
      },
      (error: Error) => callback(error, null),
    );
  };
  return new Agent({ connect, keepAliveTimeout: 1000 });
}
