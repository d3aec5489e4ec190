/**
 * Slow request bodies. Node's own requestTimeout is a fixed total, which would cut a 10 GB layer
 * pushed over a slow but real link; a body is instead watched for pace:
 *   - idle: no byte for `idleMs`;
 *   - rate: fewer than `minBytesPerSecond` on average over the last `rateWindowMs`;
 *   - total: small bodies (forms, JSON, manifests, read whole by readBody) within `smallBodyMs`.
 * Time during which the server itself is the bottleneck (bytes wait unread in the request's
 * buffer: a slow disk, a handler not reading yet) is never held against the client.
 *
 * A body cut while a reader waits for it whole (readBody) fails that read with BodyTooSlow, so
 * the plane answers 408 in its own format (and the connection closes: the body is unread). A
 * streamed body (an upload) is destroyed instead: mid-body, closing the connection is the answer.
 */
import type { IncomingMessage } from 'node:http';
import type { LocalizedText } from '../i18n/localized.js';
import { localize } from '../i18n/localized.js';
import { timeoutMessages } from './timeout-messages.js';

export interface BodyPace {
  idleMs: number;
  smallBodyMs: number;
  minBytesPerSecond: number;
  rateWindowMs: number;
}

export class BodyTooSlow extends Error {
  readonly code = 'ERR_BODY_TOO_SLOW';
  constructor(
    /** For the client, in every language; `message` is its English text (for logs). */
    readonly why: LocalizedText,
    /** What the log line records: which rule, and the figures. */
    readonly facts: Record<string, number | string>,
  ) {
    super(String(why));
  }
}

type CutHandler = (error: BodyTooSlow) => void;

const watches = new WeakMap<IncomingMessage, BodyWatch>();
const cut = new WeakSet<IncomingMessage>();

/** Whether the body of `request` was cut for slowness. */
export function wasCut(request: IncomingMessage): boolean {
  return cut.has(request);
}

/** Whether a request announces a body (a length above zero, or chunked transfer). */
function announcesBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return request.headers['transfer-encoding'] !== undefined;
}

class BodyWatch {
  private received = 0;
  private counted = 0;
  private lastProgress = Date.now();
  /** Bytes per tick over the rate window, client-paced ticks only. */
  private readonly samples: number[] = [];
  private readonly windowTicks: number;
  private readonly tickMs: number;
  private smallDeadline: number | null = null;
  private softReader: CutHandler | null = null;
  private timer: NodeJS.Timeout | null;

  constructor(
    private readonly request: IncomingMessage,
    private readonly pace: BodyPace,
    /** Told first, whatever happens next (it logs the cause). */
    private readonly onCut: CutHandler,
  ) {
    this.tickMs = Math.min(1000, Math.max(50, Math.floor(Math.min(pace.idleMs, pace.rateWindowMs, pace.smallBodyMs) / 8)));
    this.windowTicks = Math.max(1, Math.round(pace.rateWindowMs / this.tickMs));
    // Body bytes are counted where the HTTP parser hands them over, so counting consumes nothing.
    const push = request.push;
    request.push = (chunk: unknown, encoding?: BufferEncoding): boolean => {
      if (chunk === null) this.stop();
      else if (chunk) this.received += (chunk as Buffer).length;
      return push.call(request, chunk, encoding);
    };
    request.once('close', () => this.stop());
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
  }

  /** The whole body is about to be read into memory: it must arrive within the small-body time. */
  expectSmall(): void {
    this.smallDeadline ??= Date.now() + this.pace.smallBodyMs;
  }

  /** While set, a cut fails this reader instead of destroying the request. */
  readWholly(reader: CutHandler | null): void {
    this.softReader = reader;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.softReader = null;
  }

  private tick(): void {
    if (this.request.complete || this.request.destroyed) return this.stop();
    const now = Date.now();
    const delta = this.received - this.counted;
    this.counted = this.received;
    if (this.smallDeadline !== null && now >= this.smallDeadline) {
      const seconds = this.pace.smallBodyMs / 1000;
      return this.cut(localize(timeoutMessages, 'bodyTotal', { seconds }), { rule: 'smallBodyTimeout', seconds, received: this.received });
    }
    if (delta > 0 || this.request.readableLength > 0) {
      // Progress, or the server is the one behind: nothing to hold against the client.
      this.lastProgress = now;
    } else if (now - this.lastProgress >= this.pace.idleMs) {
      const seconds = this.pace.idleMs / 1000;
      return this.cut(localize(timeoutMessages, 'bodyIdle', { seconds }), { rule: 'bodyIdleTimeout', seconds, received: this.received });
    }
    if (this.request.readableLength > 0) return;
    this.samples.push(delta);
    if (this.samples.length > this.windowTicks) this.samples.shift();
    if (this.samples.length < this.windowTicks) return;
    const seconds = (this.windowTicks * this.tickMs) / 1000;
    const bytes = this.samples.reduce((sum, n) => sum + n, 0);
    if (bytes < this.pace.minBytesPerSecond * seconds) {
      const rate = Math.round((bytes / seconds) * 10) / 10;
      const minimum = this.pace.minBytesPerSecond;
      this.cut(localize(timeoutMessages, 'bodySlow', { rate, seconds, minimum }), {
        rule: 'bodyMinBytesPerSecond',
        rate,
        seconds,
        minimum,
        received: this.received,
      });
    }
  }

  private cut(why: LocalizedText, facts: Record<string, number | string>): void {
    const reader = this.softReader;
    this.stop();
    cut.add(this.request);
    const error = new BodyTooSlow(why, facts);
    this.onCut(error);
    if (reader) reader(error);
    else this.request.destroy(error);
  }
}

/** Starts watching the body of `request`, if it announces one. */
export function watchBody(request: IncomingMessage, pace: BodyPace, onCut: CutHandler): void {
  if (request.complete || !announcesBody(request)) return;
  watches.set(request, new BodyWatch(request, pace, onCut));
}

export function bodyWatchOf(request: IncomingMessage): BodyWatch | undefined {
  return watches.get(request);
}
