/**
 * Client-side proxies on 127.0.0.1 for reproducing what a corporate proxy does to registry
 * clients (HTTPS_PROXY): one that accepts connections and never answers, one that closes each
 * connection as soon as the client has spoken, and a working CONNECT proxy. The CONNECT proxy only ever tunnels to
 * 127.0.0.1 (the port the client asked for), whatever host name the client's CONNECT carries,
 * so nothing leaves the machine; it records the targets it was asked for.
 */
import { createServer as createHttpServer } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';

export type ProxyBehaviour = 'silent' | 'closing' | 'tunnel';

export interface ClientProxy {
  port: number;
  /** `http://127.0.0.1:<port>` (or https://, which makes Go clients speak TLS to the proxy). */
  url(scheme?: 'http' | 'https'): string;
  /** CONNECT targets (`host:port`) the tunnel was asked for. */
  readonly connects: string[];
  /** Connections accepted so far (any behaviour). */
  accepted(): number;
  close(): Promise<void>;
}

/** `egress`: the local address the tunnel connects from (what the registry sees as the client). */
export async function startClientProxy(behaviour: ProxyBehaviour, opts: { egress?: string } = {}): Promise<ClientProxy> {
  const sockets = new Set<Socket>();
  const connects: string[] = [];
  let accepted = 0;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => sockets.delete(socket));
  };
  let server: Server;
  if (behaviour === 'tunnel') {
    const http = createHttpServer((_req, res) => {
      res.writeHead(405, { 'content-type': 'text/plain' });
      res.end('this proxy only tunnels (CONNECT)\n');
    });
    http.on('connect', (req, client: Socket, head: Buffer) => {
      track(client);
      const target = req.url ?? '';
      connects.push(target);
      const port = Number(/:(\d+)$/.exec(target)?.[1]);
      if (!Number.isInteger(port) || port <= 0) {
        client.end('HTTP/1.1 400 Bad Request\r\n\r\n');
        return;
      }
      const upstream = connect({ host: '127.0.0.1', port, ...(opts.egress ? { localAddress: opts.egress } : {}) }, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length > 0) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      track(upstream);
      upstream.once('error', () => client.destroy());
      upstream.once('close', () => client.destroy());
      client.once('close', () => upstream.destroy());
    });
    http.on('connection', (socket: Socket) => {
      accepted++;
      track(socket);
    });
    server = http;
  } else {
    server = createServer((socket) => {
      accepted++;
      track(socket);
      // Both read what the client sends (unread data would make the close a reset, not an EOF).
      socket.resume();
      // 'closing': a clean close (FIN) once the client has spoken; 'silent': never answer.
      if (behaviour === 'closing') socket.once('data', () => socket.end());
    });
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    url: (scheme = 'http') => `${scheme}://127.0.0.1:${port}`,
    connects,
    accepted: () => accepted,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
