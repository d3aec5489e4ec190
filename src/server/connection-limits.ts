/**
 * Open connections per client address: past the limit a new connection from that address is
 * closed at once, before TLS or HTTP, so that one address (slow clients, a leak, an attack)
 * cannot hold every file descriptor and lock everybody else out. Counted on the socket's peer
 * address; configured trusted proxies are exempt (they carry many clients, and limit their own).
 */
import { BlockList, isIPv4, type Server, type Socket } from 'node:net';

interface Logger {
  warn(fields: object, message: string): void;
}

/** Log a refused address at most this often. */
const REFUSAL_LOG_INTERVAL_MS = 60_000;

export class ConnectionLimiter {
  private readonly open = new Map<string, number>();
  private readonly lastLogged = new Map<string, number>();
  private readonly exempt = new BlockList();

  constructor(
    private readonly maxPerAddress: number,
    trustedProxies: readonly string[],
    private readonly log: Logger,
  ) {
    for (const entry of trustedProxies) {
      const [address, prefix] = entry.split('/') as [string, string | undefined];
      const family = isIPv4(address) ? 'ipv4' : 'ipv6';
      if (prefix === undefined) this.exempt.addAddress(address, family);
      else this.exempt.addSubnet(address, Number(prefix), family);
    }
  }

  /** Counts this server's connections too (the main listener and every private endpoint's). */
  attach(server: Server): void {
    if (this.maxPerAddress <= 0) return;
    server.on('connection', (socket: Socket) => this.admit(socket));
  }

  private admit(socket: Socket): void {
    const address = normalized(socket.remoteAddress);
    if (address === undefined || this.isExempt(address)) return;
    const count = this.open.get(address) ?? 0;
    if (count >= this.maxPerAddress) {
      this.logRefusal(address);
      socket.destroy();
      return;
    }
    this.open.set(address, count + 1);
    socket.once('close', () => {
      const left = (this.open.get(address) ?? 1) - 1;
      if (left <= 0) this.open.delete(address);
      else this.open.set(address, left);
    });
  }

  private isExempt(address: string): boolean {
    return this.exempt.check(address, isIPv4(address) ? 'ipv4' : 'ipv6');
  }

  private logRefusal(address: string): void {
    const now = Date.now();
    if (now - (this.lastLogged.get(address) ?? 0) < REFUSAL_LOG_INTERVAL_MS) return;
    this.lastLogged.set(address, now);
    if (this.lastLogged.size > 10_000) this.lastLogged.clear();
    this.log.warn(
      { address, limit: this.maxPerAddress },
      `connection refused: address ${address} already holds ${this.maxPerAddress} open connections (connections.maxPerAddress)`,
    );
  }
}

/** IPv4-mapped IPv6 (::ffff:1.2.3.4) counts as the IPv4 address it is. */
function normalized(address: string | undefined): string | undefined {
  if (address === undefined) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1] : address;
}
