/**
 * Servers that fail the way networks fail, for check-health and check-pull tests, all on
 * loopback (127.x): a TCP server that accepts and never answers, a TLS server whose certificate
 * comes from another CA (what a wrong DNS answer or an intercepting middlebox shows), a CONNECT
 * proxy that refuses tunnels with a status line, and a proxy that "intercepts" TLS by tunnelling
 * every CONNECT to that other-CA server. Plus the `wharf` CLI run with a private /etc/hosts and
 * a resolver nobody answers (`unshare -m`, needs root), so names resolve only as the test says.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { tempDir } from './tmp.js';
import { runWharfCli, type CliResult } from './wharf-cli.js';

export interface FaultServer {
  address: string;
  port: number;
  /** Connections accepted so far. */
  accepted(): number;
  close(): Promise<void>;
}

async function listen(server: Server, address: string, port: number, sockets: Set<Socket>, counter: { n: number }): Promise<FaultServer> {
  server.on('connection', (socket: Socket) => {
    counter.n++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => resolve());
  });
  const bound = server.address();
  return {
    address,
    port: typeof bound === 'object' && bound ? bound.port : port,
    accepted: () => counter.n,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Accepts connections and never sends a byte (reads what comes, so the client is not reset). */
export function startSilentServer(address: string, port = 0): Promise<FaultServer> {
  const server = createServer((socket) => socket.resume());
  return listen(server, address, port, new Set(), { n: 0 });
}

export interface OtherCa {
  /** The CA's common name, as a TLS client sees the issuer. */
  issuer: string;
  caFile: string;
  cert: string;
  key: string;
}

/** A CA nobody trusts and a certificate from it for `names` (ECDSA: quick to make with openssl). */
export function otherCaCertificate(names: string[], issuer = 'Untrusted Test Root CA'): OtherCa {
  const dir = tempDir('other-ca');
  const file = (name: string) => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  execFileSync('openssl', ['req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.crt'), '-days', '2', '-subj', `/CN=${issuer}`], {
    stdio: 'ignore',
  });
  execFileSync('openssl', ['req', ...ec, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', `/CN=${names[0]}`], { stdio: 'ignore' });
  writeFileSync(file('ext.cnf'), `subjectAltName=${names.map((n) => (/^[\d.]+$/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',')}\n`);
  execFileSync(
    'openssl',
    [
      'x509',
      '-req',
      '-in',
      file('server.csr'),
      '-CA',
      file('ca.crt'),
      '-CAkey',
      file('ca.key'),
      '-CAcreateserial',
      '-out',
      file('server.crt'),
      '-days',
      '2',
      '-extfile',
      file('ext.cnf'),
    ],
    { stdio: 'ignore' },
  );
  return { issuer, caFile: file('ca.crt'), cert: readFileSync(file('server.crt'), 'utf8'), key: readFileSync(file('server.key'), 'utf8') };
}

/** An HTTPS server with a certificate from `ca`: answers every request 200 "not a registry". */
export function startOtherCaServer(ca: OtherCa, address: string, port = 0): Promise<FaultServer> {
  const server = createTlsServer({ cert: ca.cert, key: ca.key }, (tls) => {
    tls.on('error', () => {});
    tls.once('data', () => tls.end('HTTP/1.1 200 OK\r\ncontent-length: 13\r\nconnection: close\r\n\r\nnot a registry'));
  });
  return listen(server, address, port, new Set(), { n: 0 });
}

export interface ProxyServer extends FaultServer {
  url: string;
  /** CONNECT targets asked for. */
  readonly connects: string[];
}

/**
 * A CONNECT proxy on 127.0.0.1. `refuse`: answers every CONNECT with that status line (e.g.
 * `403 Forbidden`, what a proxy's allow-list does). `interceptTo`: tunnels every CONNECT to this
 * local port, whatever the target (a TLS-inspecting proxy presents its own certificate).
 */
export async function startFaultProxy(behaviour: { refuse: string } | { interceptTo: number }): Promise<ProxyServer> {
  const sockets = new Set<Socket>();
  const connects: string[] = [];
  const http = createHttpServer((_req, res) => res.writeHead(405).end());
  http.on('connect', (req, client: Socket) => {
    sockets.add(client);
    client.on('error', () => {});
    connects.push(req.url ?? '');
    if ('refuse' in behaviour) {
      client.end(`HTTP/1.1 ${behaviour.refuse}\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    const upstream = connect({ host: '127.0.0.1', port: behaviour.interceptTo }, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.once('close', () => upstream.destroy());
  });
  const server = await listen(http, '127.0.0.1', 0, sockets, { n: 0 });
  return { ...server, url: `http://127.0.0.1:${server.port}`, connects };
}

/**
 * `wharf …` as a user on a machine whose /etc/hosts is `hosts` (after a localhost line) and whose
 * DNS server (127.0.0.1:53) does not answer; its own WHARF_HOME, none of our WHARF_/AZURE_/proxy
 * settings unless `env` gives them.
 */
export function runWharfCliWithHosts(
  home: string,
  args: string[],
  options: { hosts: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<CliResult> {
  const dir = tempDir('cli-hosts');
  const hostsFile = join(dir, 'hosts');
  const resolvConf = join(dir, 'resolv.conf');
  writeFileSync(hostsFile, `127.0.0.1 localhost\n${options.hosts}\n`);
  writeFileSync(resolvConf, 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
  return runWharfCli(home, args, {
    env: options.env,
    timeoutMs: options.timeoutMs,
    withoutProxy: true,
    launcher: [
      'unshare',
      '-m',
      'sh',
      '-c',
      'mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/resolv.conf && shift 2 && exec "$@"',
      'sh',
      hostsFile,
      resolvConf,
    ],
  });
}
