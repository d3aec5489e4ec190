/**
 * HTTP/1.1 on a raw TCP socket, for tests about the connection itself (keep-alive after a refused
 * body, slow clients, connection limits): what a client library would hide or retry. Every wait
 * is bounded, so a server that hangs fails the test instead of stalling the run.
 */
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
}

export class RawConnection {
  private received = Buffer.alloc(0);
  private closedFlag = false;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
      this.wake();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closedFlag = true;
      this.wake();
    });
  }

  /** A connection to 127.0.0.1:`port`, from `localAddress` (any 127.x address works on Linux). */
  static open(port: number, localAddress = '127.0.0.1'): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, localAddress });
      socket.once('connect', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  write(data: string | Buffer): void {
    if (!this.closedFlag && !this.socket.destroyed) this.socket.write(data);
  }

  /** Writes and waits until the kernel took it (or the server closed: then false). */
  async writeAll(data: string | Buffer): Promise<boolean> {
    if (this.closedFlag || this.socket.destroyed) return false;
    return new Promise((resolve) => {
      this.socket.write(data, (error) => resolve(!error));
    });
  }

  /** The next response: resolves with it, or null when the connection closes first; rejects on timeout. */
  async response(timeoutMs: number): Promise<RawResponse | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const parsed = this.parse();
      if (parsed) return parsed;
      if (this.closedFlag) return null;
      if (Date.now() >= deadline)
        throw new Error(`no response within ${timeoutMs} ms (received so far: ${JSON.stringify(this.received.toString('latin1').slice(0, 300))})`);
      await this.waitForEvent(deadline - Date.now());
    }
  }

  /** Resolves true once the server closed the connection, false if it is still open after `timeoutMs`. */
  async closes(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closedFlag && Date.now() < deadline) await this.waitForEvent(deadline - Date.now());
    return this.closedFlag;
  }

  destroy(): void {
    this.socket.destroy();
  }

  private waitForEvent(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(ms, 1));
      this.waiters.add(done);
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** One complete response off the front of what was received (Content-Length or chunked). */
  private parse(): RawResponse | null {
    const text = this.received.toString('latin1');
    const end = text.indexOf('\r\n\r\n');
    if (end < 0) return null;
    const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine!)?.[1]);
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    let rest = this.received.subarray(end + 4);
    let body: Buffer;
    if (headers['transfer-encoding']?.includes('chunked')) {
      const chunks: Buffer[] = [];
      for (;;) {
        const lineEnd = rest.indexOf('\r\n');
        if (lineEnd < 0) return null;
        const size = parseInt(rest.subarray(0, lineEnd).toString('latin1'), 16);
        if (rest.length < lineEnd + 2 + size + 2) return null;
        chunks.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
        rest = rest.subarray(lineEnd + 2 + size + 2);
        if (size === 0) break;
      }
      body = Buffer.concat(chunks);
    } else {
      const length = Number(headers['content-length'] ?? 0);
      if (rest.length < length) return null;
      body = rest.subarray(0, length);
      rest = rest.subarray(length);
    }
    this.received = Buffer.from(rest);
    return { status, headers, body: body.toString('utf8') };
  }
}

/** Request head; `Host` defaults to the default registry's login server. */
export function head(method: string, path: string, headers: Record<string, string> = {}): string {
  const all = { host: 'wharf.localhost', ...headers };
  return `${method} ${path} HTTP/1.1\r\n${Object.entries(all)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;
}

/** One chunk of a chunked body. */
export function chunk(data: Buffer | string): Buffer {
  const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data);
  return Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n')]);
}

export const LAST_CHUNK = '0\r\n\r\n';
