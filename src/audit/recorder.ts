/**
 * The audit trail's writer. Requests hand their login or repository event to `record()`, which
 * only queues it; a timer (or a full batch) writes the queue to the metadata store in one
 * `append` per batch, so the request path never waits for, or fails because of, the store.
 * The queue is bounded: when the store cannot keep up, the oldest events are dropped and
 * counted. Floods of failures are coalesced into counted rows (failure-coalescer.ts), and the
 * failure rows kept are capped. Old rows are deleted hourly (retention). `close()` writes what
 * is still queued.
 */
import { Counter, Gauge, type Metric, type Registry } from 'prom-client';
import type { AuditCountUpdate, LoginEvent, RepositoryEvent } from '../storage/metadata/access-records.js';
import type { MetadataStore } from '../storage/metadata/store.js';
import { englishReason, storedReason } from '../access/decision.js';
import { aggregateReason, DEFAULT_COALESCING, FailureCoalescer, type Aggregate, type CoalescingLimits } from './failure-coalescer.js';

interface AuditOptions {
  enabled: boolean;
  /** Rows older than this many days are deleted. */
  retentionDays: number;
}

/** How the queue behaves; the defaults suit production, tests shorten them. */
export interface AuditTuning {
  flushIntervalMs: number;
  /** Events per store append; a queue this long is written at once. */
  batchSize: number;
  /** Beyond this many queued events the oldest are dropped. */
  maxQueued: number;
  retentionIntervalMs: number;
  coalescing: CoalescingLimits;
  /** Failure rows kept per table, newest first; older ones are deleted after each busy window. */
  maxFailureRows: number;
}

const DEFAULT_AUDIT_TUNING: AuditTuning = {
  flushIntervalMs: 250,
  batchSize: 1000,
  maxQueued: 100_000,
  retentionIntervalMs: 60 * 60 * 1000,
  coalescing: DEFAULT_COALESCING,
  maxFailureRows: 100_000,
};

/** The part of a pino logger the recorder uses. */
interface AuditLogger {
  error(object: Record<string, unknown>, message: string): void;
}

import type { AuditEntry } from './audit-entry.js';
export type { AuditEntry } from './audit-entry.js';

interface Queued {
  entry: AuditEntry;
  /** A failed write is retried once, with the next batch. */
  retried: boolean;
}

/** Until the app's logger is attached, errors still go somewhere visible (one JSON line). */
const STDERR_LOGGER: AuditLogger = {
  error(object, message) {
    process.stderr.write(`${JSON.stringify({ level: 50, time: Date.now(), ...object, msg: message })}\n`);
  },
};

/** A FIFO with O(1) shift: an array plus a read index, compacted as the index grows. */
class EventQueue {
  private items: (Queued | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: Queued): void {
    this.items.push(item);
  }

  shift(): Queued | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  take(count: number): Queued[] {
    const out: Queued[] = [];
    while (out.length < count) {
      const item = this.shift();
      if (!item) break;
      out.push(item);
    }
    return out;
  }

  /** Puts items back at the front, ahead of what was queued since (a retry keeps its order). */
  unshiftAll(front: Queued[]): void {
    this.items = [...front, ...this.items.slice(this.head)];
    this.head = 0;
  }
}

export class AuditRecorder {
  readonly enabled: boolean;
  private readonly retentionDays: number;
  private readonly tuning: AuditTuning;
  private readonly queue = new EventQueue();
  private logger: AuditLogger = STDERR_LOGGER;
  private flushTimer: NodeJS.Timeout | null = null;
  private flushTimerImmediate = false;
  private flushing: Promise<void> | null = null;
  private readonly retentionTimer: NodeJS.Timeout;
  private readonly firstPurge: NodeJS.Timeout;
  private purging: Promise<void> | null = null;
  private trimming: Promise<void> | null = null;
  private closed = false;
  private readonly coalescer: FailureCoalescer;
  /** False while the storage is full: events wait in the queue instead of using the reserve. */
  private writable: () => boolean = () => true;

  private readonly dropped = new Counter({
    name: 'wharf_audit_events_dropped_total',
    help: 'Audit events lost: the queue was full (queue_full) or the store refused them twice (write_failed)',
    labelNames: ['reason'] as const,
    registers: [],
  });
  private readonly written = new Counter({
    name: 'wharf_audit_events_written_total',
    help: 'Audit events written to the metadata store, by category (login, repository)',
    labelNames: ['category'] as const,
    registers: [],
  });
  private readonly coalesced = new Counter({
    name: 'wharf_audit_failures_coalesced_total',
    help: 'Refused requests counted into an aggregate audit row instead of a row of their own',
    labelNames: ['category'] as const,
    registers: [],
  });
  private readonly queued: Gauge;

  constructor(
    private readonly store: MetadataStore,
    options: AuditOptions,
    tuning: Partial<AuditTuning> = {},
  ) {
    this.enabled = options.enabled;
    this.retentionDays = options.retentionDays;
    this.tuning = { ...DEFAULT_AUDIT_TUNING, ...tuning };
    this.coalescer = new FailureCoalescer(this.tuning.coalescing);
    const queue = this.queue;
    this.queued = new Gauge({
      name: 'wharf_audit_events_queued',
      help: 'Audit events waiting to be written',
      registers: [],
      collect() {
        this.set(queue.length);
      },
    });
    // Retention applies to rows already stored even when recording is switched off.
    this.retentionTimer = setInterval(() => void this.purgeExpired(), this.tuning.retentionIntervalMs);
    this.retentionTimer.unref();
    this.firstPurge = setTimeout(() => void this.purgeExpired(), 0);
    this.firstPurge.unref();
  }

  /** Gives the recorder the app's logger and exposes its metrics (see registerAuditHook). */
  attach(context: { logger?: AuditLogger; metrics?: Registry }): void {
    if (context.logger) this.logger = context.logger;
    const registry = context.metrics;
    if (registry) {
      const metrics: Metric<string>[] = [this.dropped, this.written, this.coalesced, this.queued];
      for (const metric of metrics) {
        // A second app on the same registry (tests) must not register the names twice.
        if (!registry.getSingleMetric((metric as unknown as { name: string }).name)) registry.registerMetric(metric);
      }
    }
  }

  /** While `check` answers false (storage full), nothing is written; events wait in the bounded queue. */
  pauseWhile(full: () => boolean): void {
    this.writable = () => !full();
  }

  /** Queues one event, or counts it into an aggregate; never throws, never waits. */
  record(entry: AuditEntry): void {
    if (!this.enabled || this.closed) return;
    if (!this.coalescer.admit(entry, Date.now())) {
      this.coalesced.inc({ category: entry.category });
      this.flushSoon(this.tuning.flushIntervalMs);
      return;
    }
    if (this.queue.length >= this.tuning.maxQueued) {
      this.queue.shift();
      this.dropped.inc({ reason: 'queue_full' });
    }
    this.queue.push({ entry, retried: false });
    if (this.queue.length >= this.tuning.batchSize) this.flushSoon(0);
    else this.flushSoon(this.tuning.flushIntervalMs);
  }

  /** Events waiting to be written. */
  get pending(): number {
    return this.queue.length;
  }

  private flushSoon(delayMs: number): void {
    if (this.flushing) return; // the running flush drains the queue, then reschedules
    if (this.flushTimer) {
      // A pending timer fires soon enough unless a full batch needs it now and it is not immediate.
      if (delayMs > 0 || this.flushTimerImmediate) return;
      clearTimeout(this.flushTimer);
    }
    this.flushTimerImmediate = delayMs === 0;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      void this.flush();
    }, delayMs);
    this.flushTimer.unref();
  }

  /**
   * Writes everything queued, in batches. After a failed batch it stops: the failed events
   * go back to the front of the queue once and are retried with the next flush.
   */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    this.flushing = this.drain().finally(() => {
      this.flushing = null;
      if ((this.queue.length > 0 || this.coalescer.pendingCounts > 0) && !this.closed) this.flushSoon(this.tuning.flushIntervalMs);
    });
    return this.flushing;
  }

  private async drain(): Promise<void> {
    if (!this.writable()) return;
    const now = Date.now();
    let aggregates = this.coalescer.dirty(now);
    while (this.queue.length > 0 || aggregates.length > 0) {
      const batch = this.queue.take(this.tuning.batchSize);
      if (!(await this.write(batch, aggregates))) return;
      aggregates = [];
    }
    if (this.coalescer.takeClosedWithFailures(now)) void this.trimFailures();
  }

  private async write(batch: Queued[], aggregates: Aggregate[]): Promise<boolean> {
    const logins: LoginEvent[] = [];
    const repository: RepositoryEvent[] = [];
    const counts: AuditCountUpdate[] = [];
    for (const { entry } of batch) {
      if (entry.category === 'login') logins.push(entry.event);
      else repository.push(entry.event);
    }
    for (const aggregate of aggregates) {
      const keyed = aggregateReason(aggregate);
      const stored = storedReason(keyed);
      const reason = englishReason(keyed);
      const note = { reason, reasonKey: stored.key, reasonValues: stored.values };
      const { entry } = aggregate;
      if (aggregate.written) {
        counts.push({ category: entry.category, correlationId: entry.event.correlationId, count: aggregate.count, ...note });
      } else if (entry.category === 'login') {
        logins.push({ ...entry.event, count: aggregate.count, ...note });
      } else {
        repository.push({ ...entry.event, count: aggregate.count, ...note });
      }
      aggregate.dirty = false;
    }
    try {
      await this.store.audit.append(counts.length > 0 ? { logins, repository, counts } : { logins, repository });
      for (const aggregate of aggregates) aggregate.written = true;
      if (logins.length > 0) this.written.inc({ category: 'login' }, logins.length);
      if (repository.length > 0) this.written.inc({ category: 'repository' }, repository.length);
      return true;
    } catch (error) {
      const retry = batch.filter((item) => !item.retried);
      const lost = batch.length - retry.length;
      for (const item of retry) item.retried = true;
      this.queue.unshiftAll(retry);
      // Counts carry on: the next write has the latest.
      this.coalescer.retry(aggregates);
      if (lost > 0) this.dropped.inc({ reason: 'write_failed' }, lost);
      // Events carry no secrets; the error is the store's (message and code only).
      this.logger.error(
        { err: { message: (error as Error).message, code: (error as NodeJS.ErrnoException).code }, events: batch.length, retrying: retry.length, lost },
        'audit: writing events to the metadata store failed',
      );
      return false;
    }
  }

  /** Keeps the newest `maxFailureRows` failure rows of each table (a flood from many addresses). */
  private trimFailures(): Promise<void> {
    if (this.trimming) return this.trimming;
    const audit = this.store.audit;
    this.trimming = Promise.resolve()
      .then(() => audit.trimFailures(this.tuning.maxFailureRows))
      .then(
        () => undefined,
        (error: unknown) => {
          this.logger.error({ err: { message: (error as Error).message }, keep: this.tuning.maxFailureRows }, 'audit: trimming failure rows failed');
        },
      )
      .finally(() => {
        this.trimming = null;
      });
    return this.trimming;
  }

  /** Deletes rows older than the retention period. */
  purgeExpired(now = Date.now()): Promise<void> {
    if (this.purging) return this.purging;
    const cutoff = new Date(now - this.retentionDays * 24 * 60 * 60 * 1000).toISOString();
    // Through a promise, so that even a store throwing synchronously cannot escape the timer.
    this.purging = Promise.resolve()
      .then(() => this.store.audit.purgeBefore(cutoff))
      .then(() => this.trimFailures())
      .then(
        () => undefined,
        (error: unknown) => {
          this.logger.error({ err: { message: (error as Error).message }, cutoff }, 'audit: deleting expired events failed');
        },
      )
      .finally(() => {
        this.purging = null;
      });
    return this.purging;
  }

  /** Stops the timers and writes what is queued (with the one retry a failed batch gets). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.retentionTimer);
    clearTimeout(this.firstPurge);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    await this.purging;
    await this.trimming;
    await this.flushing;
    await this.flush();
    if (this.queue.length > 0) await this.flush();
    const lost = this.queue.length;
    if (lost > 0) {
      this.queue.take(lost);
      this.dropped.inc({ reason: 'write_failed' }, lost);
      this.logger.error({ lost }, 'audit: events could not be written before shutdown');
    }
  }
}
