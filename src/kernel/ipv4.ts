/**
 * IPv4 addresses and CIDR ranges as ACR's network rules use them: parsing with messages that
 * say what is wrong, containment, and a compiled matcher for a rule list. ACR's rules are
 * IPv4 only; an IPv4-mapped IPv6 client address (`::ffff:a.b.c.d`) is the IPv4 address.
 * Addresses are unsigned 32-bit numbers.
 */

export interface Ipv4Range {
  /** The value as given (trimmed), e.g. '10.1.2.3/16'. */
  value: string;
  /** Canonical form: the network address and prefix, e.g. '10.1.0.0/16' ('a.b.c.d' for /32 when given without a prefix). */
  normalized: string;
  /** First and last address, inclusive. */
  start: number;
  end: number;
  prefix: number;
}

/** `problem` says which rule failed (for messages rendered in other languages); `why` is the English text. */
export type ParseProblem =
  | { kind: 'empty' }
  | { kind: 'ipv6'; value: string }
  | { kind: 'invalid'; value: string }
  | { kind: 'prefix'; value: string; prefix: string }
  | { kind: 'notCidr'; value: string };
type ParseResult<T> = { ok: true; range: T } | { ok: false; why: string; problem?: ParseProblem };

/** Strict dotted quad: four decimal octets 0–255, no leading zeros (they read as octal elsewhere). */
export function parseIpv4(text: string): number | undefined {
  let value = 0;
  let octets = 0;
  let digits = 0;
  let octet = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 46; // '.' closes the last octet
    if (code === 46) {
      if (digits === 0 || octet > 255) return undefined;
      value = value * 256 + octet;
      octets++;
      digits = 0;
      octet = 0;
      continue;
    }
    if (code < 48 || code > 57) return undefined;
    if (digits === 1 && octet === 0) return undefined; // leading zero
    if (++digits > 3) return undefined;
    octet = octet * 10 + (code - 48);
  }
  return octets === 4 ? value : undefined;
}

export function formatIpv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/** The network mask of a prefix length, as an unsigned number. */
function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/**
 * A client address as the rules see it: the IPv4 number, or undefined for IPv6 (rules never
 * match it) and for anything unparsable. `::ffff:a.b.c.d` is a.b.c.d.
 */
export function clientIpv4(address: string): number | undefined {
  if (address.length > 7 && address.charCodeAt(0) === 58 /* ':' */ && /^::ffff:/i.test(address)) return parseIpv4(address.slice(7));
  return parseIpv4(address);
}

/** The address in the form messages show: IPv4-mapped IPv6 without its prefix. */
export function displayAddress(address: string): string {
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address) ? address.slice(7) : address;
}

function looksLikeIpv6(text: string): boolean {
  return text.includes(':');
}

/**
 * An IPv4 address or CIDR range. Host bits are allowed (ACR accepts '10.1.2.3/16') and the
 * range is the network the prefix names ('10.1.0.0/16').
 */
export function parseCidr(input: string, what = 'address range'): ParseResult<Ipv4Range> {
  const value = typeof input === 'string' ? input.trim() : '';
  if (value === '') return { ok: false, why: `the ${what} is empty: give an IPv4 address (1.2.3.4) or CIDR range (1.2.3.0/24)`, problem: { kind: 'empty' } };
  const slash = value.indexOf('/');
  const addressText = slash < 0 ? value : value.slice(0, slash);
  if (looksLikeIpv6(addressText)) {
    return { ok: false, why: `'${value}' is an IPv6 ${what}: network rules support IPv4 addresses and CIDR ranges only`, problem: { kind: 'ipv6', value } };
  }
  const address = parseIpv4(addressText);
  if (address === undefined) {
    return {
      ok: false,
      why: `'${value}' is not a valid IPv4 ${what}: expected four numbers 0-255 separated by dots (1.2.3.4), optionally with a prefix length (/0 to /32)`,
      problem: { kind: 'invalid', value },
    };
  }
  let prefix = 32;
  if (slash >= 0) {
    const prefixText = value.slice(slash + 1);
    if (!/^\d{1,2}$/.test(prefixText) || Number(prefixText) > 32) {
      return {
        ok: false,
        why: `'${value}' has an invalid prefix length '/${prefixText}': it must be a number from 0 to 32`,
        problem: { kind: 'prefix', value, prefix: prefixText },
      };
    }
    prefix = Number(prefixText);
  }
  const mask = maskOf(prefix);
  const start = (address & mask) >>> 0;
  const end = (start | (~mask >>> 0)) >>> 0;
  const normalized = slash < 0 ? formatIpv4(start) : `${formatIpv4(start)}/${prefix}`;
  return { ok: true, range: { value, normalized, start, end, prefix } };
}

/** An entry of `networkRuleSet.ipRules`: what the management plane validates with. */
export function parseIpRule(value: string): ParseResult<Ipv4Range> {
  return parseCidr(value, 'IP rule');
}

/** A subnet's or a network's address prefix: must be a CIDR with a prefix length. */
export function parseAddressPrefix(value: string): ParseResult<Ipv4Range> {
  const parsed = parseCidr(value, 'address prefix');
  if (parsed.ok && !value.includes('/'))
    return {
      ok: false,
      why: `'${value.trim()}' is not a CIDR address prefix: add a prefix length, e.g. '${value.trim()}/24'`,
      problem: { kind: 'notCidr', value: value.trim() },
    };
  return parsed;
}

export function rangeContains(outer: Ipv4Range, inner: Ipv4Range): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

export function rangesOverlap(a: Ipv4Range, b: Ipv4Range): boolean {
  return a.start <= b.end && b.start <= a.end;
}

export function rangeIncludes(range: Ipv4Range, address: number): boolean {
  return range.start <= address && address <= range.end;
}

/**
 * A compiled list of ranges, each with a label: a Map per prefix length present (network
 * address → label), probed from the most specific prefix down. A lookup costs one Map probe
 * per distinct prefix length (usually a handful), whatever the number of rules.
 */
export class Ipv4Matcher<L> {
  private readonly tables: { mask: number; byNetwork: Map<number, L> }[];
  readonly size: number;

  constructor(entries: Iterable<{ range: Ipv4Range; label: L }>) {
    const byPrefix = new Map<number, Map<number, L>>();
    let size = 0;
    for (const { range, label } of entries) {
      let table = byPrefix.get(range.prefix);
      if (!table) byPrefix.set(range.prefix, (table = new Map()));
      // The first rule in saved order names a duplicate.
      if (!table.has(range.start)) table.set(range.start, label);
      size++;
    }
    this.size = size;
    this.tables = [...byPrefix.entries()].sort((a, b) => b[0] - a[0]).map(([prefix, byNetwork]) => ({ mask: maskOf(prefix), byNetwork }));
  }

  /** The label of a range containing `address`, most specific first; undefined when none does. */
  match(address: number): L | undefined {
    for (let i = 0; i < this.tables.length; i++) {
      const table = this.tables[i]!;
      const label = table.byNetwork.get((address & table.mask) >>> 0);
      if (label !== undefined) return label;
    }
    return undefined;
  }
}
