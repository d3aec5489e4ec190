/**
 * Which addresses an import may fetch from. An import makes the server itself open
 * connections to an address the caller chose (the registry URI, every redirect, the token
 * realm), so by default it refuses the addresses that reach the server's own host and its
 * private networks: loopback, link-local (which includes cloud metadata services), private
 * and unspecified ranges. The operator opens ranges with the `import.allowedSourceRanges`
 * setting. The check is made on the address actually connected to (after DNS), so a name
 * that resolves to a private address is refused as well.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

export const ALLOWED_RANGES_SETTING = 'import.allowedSourceRanges';

/** Which kind of address a refused range holds (import-reason-messages words it in every language). */
export type AddressKind = 'unspecified' | 'loopback' | 'linkLocal' | 'private' | 'shared' | 'uniqueLocal';

const ENGLISH_KIND: Record<AddressKind, string> = {
  unspecified: 'an unspecified',
  loopback: 'a loopback',
  linkLocal: 'a link-local',
  private: 'a private',
  shared: 'a shared (carrier-grade NAT)',
  uniqueLocal: 'a private (unique local)',
};

const REFUSED: ReadonlyArray<{ range: string; kind: AddressKind }> = [
  { range: '0.0.0.0/8', kind: 'unspecified' },
  { range: '127.0.0.0/8', kind: 'loopback' },
  { range: '169.254.0.0/16', kind: 'linkLocal' },
  { range: '10.0.0.0/8', kind: 'private' },
  { range: '172.16.0.0/12', kind: 'private' },
  { range: '192.168.0.0/16', kind: 'private' },
  { range: '100.64.0.0/10', kind: 'shared' },
  { range: '::/128', kind: 'unspecified' },
  { range: '::1/128', kind: 'loopback' },
  { range: 'fe80::/10', kind: 'linkLocal' },
  { range: 'fc00::/7', kind: 'uniqueLocal' },
];

/** Why a connection was not made; recognised in the error chain undici hands back. */
class SourceAddressRefused extends Error {
  readonly code = 'EWHARF_SOURCE_ADDRESS_REFUSED';
  constructor(
    readonly address: string,
    readonly kind: AddressKind,
  ) {
    super(`${address} is ${ENGLISH_KIND[kind]} address`);
  }
}

function blockListOf(ranges: readonly string[]): BlockList {
  const list = new BlockList();
  for (const text of ranges) {
    const slash = text.indexOf('/');
    const address = slash < 0 ? text : text.slice(0, slash);
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    const prefix = slash < 0 ? (family === 'ipv6' ? 128 : 32) : Number(text.slice(slash + 1));
    list.addSubnet(address, prefix, family);
  }
  return list;
}

/** `::ffff:10.0.0.1` is 10.0.0.1 for this purpose. */
function normalized(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1]!, family: 'ipv4' };
  return { address, family: isIP(address) === 6 ? 'ipv6' : 'ipv4' };
}

export class SourceAddressPolicy {
  private readonly refused = REFUSED.map((entry) => ({ kind: entry.kind, list: blockListOf([entry.range]) }));
  private readonly allowed: BlockList;

  constructor(allowedRanges: readonly string[]) {
    this.allowed = blockListOf(allowedRanges);
  }

  /** The reason `address` (an IP address) may not be reached, or undefined when it may. */
  refusal(address: string): SourceAddressRefused | undefined {
    const { address: ip, family } = normalized(address);
    if (isIP(ip) === 0) return undefined;
    if (this.allowed.check(ip, family)) return undefined;
    const hit = this.refused.find((entry) => entry.list.check(ip, family));
    return hit ? new SourceAddressRefused(ip, hit.kind) : undefined;
  }

  /**
   * A `lookup` for net/tls connect options: resolves as usual, then refuses the connection if
   * any address the name resolves to is refused (so DNS answers cannot pick a private one).
   * Node skips lookup for an IP literal; callers check those with refusal() first.
   */
  readonly lookup = (
    hostname: string,
    options: { family?: number | string; all?: boolean; hints?: number },
    callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    const all: LookupAllOptions = { all: true, hints: options.hints, family: typeof options.family === 'number' ? options.family : undefined };
    dnsLookup(hostname, all, (error, addresses) => {
      if (error) return callback(error, '');
      for (const entry of addresses) {
        const refused = this.refusal(entry.address);
        if (refused) return callback(refused as unknown as NodeJS.ErrnoException, '');
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '');
      callback(null, first.address, first.family);
    });
  };
}

/** The refusal anywhere in an error's cause chain (undici may wrap the socket's error). */
export function refusalIn(error: unknown): SourceAddressRefused | undefined {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    if (current instanceof SourceAddressRefused) return current;
  }
  return undefined;
}
