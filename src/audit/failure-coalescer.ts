/**
 * Bounds what refused requests can add to the audit trail. Anyone can send failing logins, each
 * with a user name of their choosing, so failures are not all stored as rows: within a window,
 * the first few failures of a kind (same address, identity, operation, status, repository and
 * reason: a different decision is never folded into another's row) and
 * the first few of an address are stored in full; every further one is counted into one
 * aggregate row per kind (or per address, once the address has used its rows), whose `count`
 * says how many failures it stands for. The maps are bounded too: beyond them, one aggregate per
 * registry and category takes everything. Successes are never coalesced.
 */
import type { LoginEvent, RepositoryEvent } from '../storage/metadata/access-records.js';
import type { AuditEntry } from './audit-entry.js';
import { parseStoredReason, reason, type Reason } from '../access/decision.js';
import { parseStoredMessage, renderStoredMessage, type StoredMessage } from '../i18n/localized.js';

export interface CoalescingLimits {
  windowMs: number;
  /** Failures of one kind stored in full per window. */
  rowsPerKind: number;
  /** Failures of one client address stored in full per window. */
  rowsPerSource: number;
  /** Failures stored in full per window, all addresses together. */
  rowsPerWindow: number;
  /** Kinds and addresses tracked per window; beyond, failures go to one overflow aggregate. */
  maxTracked: number;
}

export const DEFAULT_COALESCING: CoalescingLimits = {
  windowMs: 60_000,
  rowsPerKind: 10,
  rowsPerSource: 60,
  rowsPerWindow: 1_000,
  maxTracked: 2_000,
};

/** One aggregate row: the first failure it took, and how many it stands for. */
export interface Aggregate {
  entry: AuditEntry;
  count: number;
  lastTime: string;
  /** Whether failures of other identities / other addresses were counted in too. */
  identities: Set<string>;
  sources: Set<string>;
  /** Inserted into the store already (later counts are updates of that row). */
  written: boolean;
  /** Counted since it was last written. */
  dirty: boolean;
}

type AnyEvent = LoginEvent | RepositoryEvent;

export class FailureCoalescer {
  private windowStart = 0;
  private fullRows = 0;
  private readonly sources = new Map<string, number>();
  private readonly kinds = new Map<string, number>();
  private aggregates = new Map<string, Aggregate>();
  /** Aggregates of a closed window not yet written with their last count. */
  private closing: Aggregate[] = [];
  /** Whether this window stored any failure row. */
  private wroteFailures = false;
  /** Whether a window that stored failures closed since takeClosedWithFailures (the store then trims). */
  private closedWithFailures = false;

  constructor(private readonly limits: CoalescingLimits = DEFAULT_COALESCING) {}

  /** True: store the entry as a row. False: it was counted into an aggregate. */
  admit(entry: AuditEntry, now: number): boolean {
    const event: AnyEvent = entry.event;
    if (event.resultType === 'Succeeded') return true;
    this.rotate(now);
    const source = `${entry.category}\0${event.registry}\0${event.callerIpAddress}`;
    const repository = entry.category === 'repository' ? entry.event.repository : '';
    const kind = `${source}\0${event.identity}\0${event.operationName}\0${event.resultDescription}\0${repository}\0${event.reason}`;
    const sourceRows = this.tracked(this.sources, source);
    const kindRows = this.tracked(this.kinds, kind);
    const limits = this.limits;
    if (
      sourceRows !== undefined &&
      kindRows !== undefined &&
      kindRows < limits.rowsPerKind &&
      sourceRows < limits.rowsPerSource &&
      this.fullRows < limits.rowsPerWindow
    ) {
      this.sources.set(source, sourceRows + 1);
      this.kinds.set(kind, kindRows + 1);
      this.fullRows++;
      this.wroteFailures = true;
      return true;
    }
    // A kind already stored in full counts on in its own row; otherwise the address's row, and
    // past the tracking bound, one row for everyone.
    const key = kindRows !== undefined && kindRows > 0 ? kind : sourceRows !== undefined ? `${source}\0*` : `${entry.category}\0${event.registry}\0*`;
    this.count(key, entry);
    return false;
  }

  /** Aggregates with counts not yet written, oldest window first. */
  dirty(now: number): Aggregate[] {
    this.rotate(now);
    const out = this.closing;
    this.closing = [];
    for (const aggregate of this.aggregates.values()) if (aggregate.dirty) out.push(aggregate);
    return out;
  }

  /** After a failed write: these are written again with the next flush. */
  retry(aggregates: Aggregate[]): void {
    for (const aggregate of aggregates) {
      aggregate.dirty = true;
      const current = this.aggregates.get(aggregateKeys.get(aggregate) ?? '') === aggregate;
      if (!current && !this.closing.includes(aggregate)) this.closing.push(aggregate);
    }
  }

  /** Whether a window that stored failures has closed since the last call (time to trim). */
  takeClosedWithFailures(now: number): boolean {
    this.rotate(now);
    const closed = this.closedWithFailures;
    this.closedWithFailures = false;
    return closed;
  }

  /** Counts waiting for a write. */
  get pendingCounts(): number {
    let pending = this.closing.length;
    for (const aggregate of this.aggregates.values()) if (aggregate.dirty) pending++;
    return pending;
  }

  private rotate(now: number): void {
    if (now - this.windowStart < this.limits.windowMs) return;
    for (const aggregate of this.aggregates.values()) if (aggregate.dirty && !this.closing.includes(aggregate)) this.closing.push(aggregate);
    if (this.wroteFailures || this.aggregates.size > 0) this.closedWithFailures = true;
    this.windowStart = now;
    this.fullRows = 0;
    this.wroteFailures = false;
    this.sources.clear();
    this.kinds.clear();
    this.aggregates = new Map();
  }

  /** The rows stored for `key` so far; undefined when the map is full and `key` is not in it. */
  private tracked(map: Map<string, number>, key: string): number | undefined {
    const rows = map.get(key);
    if (rows !== undefined) return rows;
    if (map.size >= this.limits.maxTracked) return undefined;
    map.set(key, 0);
    return 0;
  }

  private count(key: string, entry: AuditEntry): void {
    const event: AnyEvent = entry.event;
    let aggregate = this.aggregates.get(key);
    if (!aggregate) {
      // Bounded by the maps above: one per kind or address tracked, plus one per registry and category.
      aggregate = {
        entry: { ...entry, event: { ...entry.event } } as AuditEntry,
        count: 0,
        lastTime: event.timeGenerated,
        identities: new Set(),
        sources: new Set(),
        written: false,
        dirty: true,
      };
      aggregateKeys.set(aggregate, key);
      this.aggregates.set(key, aggregate);
    }
    aggregate.count++;
    aggregate.dirty = true;
    if (event.timeGenerated > aggregate.lastTime) aggregate.lastTime = event.timeGenerated;
    // Two are enough to say "several".
    if (aggregate.identities.size < 2) aggregate.identities.add(event.identity);
    if (aggregate.sources.size < 2) aggregate.sources.add(event.callerIpAddress);
  }
}

/** Each aggregate's key in its window's map, to tell whether it is still the current one. */
const aggregateKeys = new WeakMap<Aggregate, string>();

/**
 * The reason an aggregate row shows: the first failure's, and what was counted in, as a reason
 * (a reader sees the note in their own language; the first failure's reason too when its row was keyed).
 */
export function aggregateReason(aggregate: Aggregate): Reason {
  const first = aggregate.entry.event;
  const identities = aggregate.identities.size > 1;
  const addresses = aggregate.sources.size > 1;
  const values = {
    // A keyed row's reason stays a key: a decision's reason, else its error message's (an unknown host, a read-only repository…).
    reason: parseStoredReason(first.reasonKey, first.reasonValues) ?? knownStoredMessage(first.reasonKey, first.reasonValues) ?? first.reason,
    count: aggregate.count,
    from: first.timeGenerated,
    to: aggregate.lastTime,
  };
  if (!identities && !addresses) return reason('coalescedFailures', values);
  const several = reason(identities && addresses ? 'severalIdentitiesAndAddresses' : identities ? 'severalIdentities' : 'severalAddresses');
  return reason('coalescedFailuresSeveral', { ...values, several });
}

/** The error message a row keeps as its key and values, when this code can render it. */
function knownStoredMessage(key: string | null | undefined, values: string | null | undefined): StoredMessage | undefined {
  const message = parseStoredMessage(key, values);
  return message && renderStoredMessage(message, 'en') !== undefined ? message : undefined;
}
