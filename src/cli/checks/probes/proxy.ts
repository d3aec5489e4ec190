/**
 * The HTTPS proxy a client would use for a registry, read as curl, Go and docker read it
 * (HTTPS_PROXY / https_proxy, NO_PROXY / no_proxy), and a CONNECT through it. A failed CONNECT
 * says how it failed: the proxy's status line, a close without an answer, silence, or the proxy
 * itself unreachable.
 */
import { connect as tlsConnect } from 'node:tls';
import type { Socket } from 'node:net';
import { isIP } from 'node:net';
import { openTcp, ProbeError } from './tcp.js';

interface ProxySetting {
  url: URL;
  /** The variable it came from, e.g. HTTPS_PROXY. */
  variable: string;
}

/** HTTPS_PROXY (or https_proxy), else ALL_PROXY; undefined when none is set or it is not a URL. */
export function httpsProxyOf(env: NodeJS.ProcessEnv): ProxySetting | undefined {
  for (const variable of ['HTTPS_PROXY', 'https_proxy', 'ALL_PROXY', 'all_proxy']) {
    const value = env[variable]?.trim();
    if (!value) continue;
    try {
      const url = new URL(value.includes('://') ? value : `http://${value}`);
      if (url.protocol === 'http:' || url.protocol === 'https:') return { url, variable };
    } catch {
      // not a URL: ignored, as curl and Go ignore it
    }
  }
  return undefined;
}

function ipv4ToNumber(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  if (isIP(ip) !== 4 || isIP(base!) !== 4) return false;
  const prefix = Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) return false;
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  return (ipv4ToNumber(ip) & mask) >>> 0 === (ipv4ToNumber(base!) & mask) >>> 0;
}

/**
 * Whether NO_PROXY exempts host:port: `*`, an exact name or address, a domain suffix (with or
 * without a leading dot, as Go and curl match), an IPv4 CIDR; an entry with `:port` only for that port.
 */
export function bypassesProxy(host: string, port: number, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const name = host.toLowerCase().replace(/^\[|\]$/g, '');
  for (const raw of noProxy.split(/[,\s]+/)) {
    let entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    const withPort = /^(.*):(\d+)$/.exec(entry);
    if (withPort && !entry.includes('/') && isIP(entry) !== 6) {
      if (Number(withPort[2]) !== port) continue;
      entry = withPort[1]!;
    }
    if (entry.includes('/')) {
      if (inCidr(name, entry)) return true;
      continue;
    }
    const domain = entry.replace(/^\*?\./, '');
    if (name === domain || name.endsWith(`.${domain}`)) return true;
  }
  return false;
}

/** The proxy for host:port, or undefined when there is none or NO_PROXY exempts it. */
export function proxyFor(host: string, port: number, env: NodeJS.ProcessEnv): ProxySetting | undefined {
  const proxy = httpsProxyOf(env);
  if (!proxy) return undefined;
  return bypassesProxy(host, port, env.NO_PROXY ?? env.no_proxy) ? undefined : proxy;
}

type TunnelFailure = 'status' | 'closed' | 'timeout' | 'unreachable';

export class TunnelError extends Error {
  constructor(
    readonly kind: TunnelFailure,
    message: string,
    /** The proxy's status line when it answered (`403 Forbidden`). */
    readonly status?: string,
  ) {
    super(message);
  }
}

function proxyPort(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

/** Opens a tunnel to host:port through the proxy; the returned socket carries the tunnel. */
export async function openTunnel(proxy: URL, host: string, port: number, timeoutMs: number, ca?: string): Promise<Socket> {
  let socket: Socket;
  try {
    socket = await openTcp(proxy.hostname, proxyPort(proxy), timeoutMs);
  } catch (error) {
    throw new TunnelError('unreachable', (error as Error).message);
  }
  if (proxy.protocol === 'https:') socket = tlsConnect({ socket, servername: proxy.hostname, ...(ca ? { ca } : {}) });
  const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const credentials = proxy.username
    ? `Proxy-Authorization: Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}\r\n`
    : '';
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const fail = (error: TunnelError) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    const timer = setTimeout(() => fail(new TunnelError('timeout', `the proxy did not answer CONNECT ${authority} within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) {
        if (received.length > 16_384) fail(new TunnelError('closed', 'the proxy sent an endless header'));
        return;
      }
      socket.off('data', onData);
      socket.off('close', onClose);
      clearTimeout(timer);
      const statusLine = received.subarray(0, received.indexOf('\r\n')).toString('latin1');
      const match = /^HTTP\/\d(?:\.\d)? (\d{3})\s*(.*)$/.exec(statusLine);
      if (!match || match[1] !== '200') {
        socket.destroy();
        const status = match ? `${match[1]} ${match[2]}`.trim() : statusLine.slice(0, 80);
        reject(new TunnelError('status', `the proxy answered CONNECT ${authority} with ${status}`, status));
        return;
      }
      const rest = received.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      socket.removeAllListeners('error');
      resolve(socket);
    };
    const onClose = () => fail(new TunnelError('closed', `the proxy closed the connection without answering CONNECT ${authority}`));
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.once('error', (error: Error) => fail(new TunnelError(error instanceof ProbeError ? 'unreachable' : 'closed', error.message)));
    socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${credentials}User-Agent: wharf-check-health\r\n\r\n`);
  });
}
