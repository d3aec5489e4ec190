/**
 * How a figure is measured: every round visits every registry, in reverse order on odd rounds
 * (ABBA, see config.ts), and the figure is total work over total time, so neither server
 * profits from going first or last on a shared, noisy machine. Shared by the no-auth
 * workloads (workloads.ts) and the token-mode ones (token-mode.ts).
 */
import { spawnSync } from 'node:child_process';
import type { RunningRegistry } from './servers.js';
import { runWrk, type WrkOptions } from './wrk.js';

export type FigureKey =
  | 'uploadSmall'
  | 'uploadMedium'
  | 'uploadLarge'
  | 'uploadParallel'
  | 'downloadSmall'
  | 'downloadMedium'
  | 'downloadLarge'
  | 'manifestRps'
  | 'tagsRps'
  | 'blobRps'
  | 'rssBaseline'
  | 'rssPeakMedium'
  | 'rssPeakLarge'
  | 'manifestBearerRps'
  | 'tokenIssueRps'
  | 'tokenBasicRps'
  | 'manifestNoRulesRps'
  | 'manifestRulesRps';

/** Per-registry results; a missing key means "not measured" (e.g. quick mode). */
export type Figures = Partial<Record<FigureKey, number>>;

/** Work done in some time: bytes for throughput figures, requests for req/s figures. */
export interface Sample {
  readonly amount: number;
  readonly ms: number;
}

export type Log = (message: string) => void;

export async function timed(amount: number, work: () => Promise<void>): Promise<Sample> {
  const start = performance.now();
  await work();
  return { amount, ms: performance.now() - start };
}

/**
 * Flush dirty pages before every measurement: Distribution does not fsync, so
 * without this the kernel's writeback of one server's uploads would land in
 * the next server's measurement.
 */
function syncDisks(): void {
  spawnSync('sync', { stdio: 'ignore' });
}

export class FigureBook {
  readonly figures: Map<RunningRegistry, Figures>;
  readonly warnings: string[] = [];

  constructor(
    private readonly registries: RunningRegistry[],
    private readonly rounds: number,
    private readonly seconds: number,
    private readonly log: Log,
  ) {
    this.figures = new Map(registries.map((r) => [r, {}]));
  }

  set(r: RunningRegistry, key: FigureKey, value: number): void {
    this.figures.get(r)![key] = value;
  }

  peak(r: RunningRegistry, key: FigureKey, value: number): void {
    this.set(r, key, Math.max(this.figures.get(r)![key] ?? 0, value));
  }

  /** One figure over all rounds (ABBA), stored as total amount / total seconds × `scale`. */
  async figure(key: FigureKey, title: string, scale: number, work: (r: RunningRegistry, round: number) => Promise<Sample>): Promise<void> {
    const totals = new Map(this.registries.map((r) => [r, { amount: 0, ms: 0 }]));
    for (let round = 0; round < this.rounds; round++) {
      const order = round % 2 === 0 ? this.registries : [...this.registries].reverse();
      for (const r of order) {
        this.log(`${title} (round ${round + 1}/${this.rounds}) — ${r.label}`);
        syncDisks();
        const sample = await work(r, round);
        const total = totals.get(r)!;
        total.amount += sample.amount;
        total.ms += sample.ms;
      }
    }
    for (const [r, total] of totals) this.set(r, key, (total.amount * scale) / (total.ms / 1000));
  }

  /**
   * One wrk run against `url` after a 1 s warm-up that is not counted. Errors and non-2xx
   * answers become warnings in the report: a req/s figure of failures is not a figure.
   */
  async wrk(r: RunningRegistry, key: FigureKey, url: string, options: Omit<WrkOptions, 'seconds'>): Promise<Sample> {
    await runWrk(url, { ...options, seconds: 1 });
    const result = await runWrk(url, { ...options, seconds: this.seconds });
    if (result.non2xx > 0 || result.socketErrors > 0) {
      this.warnings.push(
        `WARNING ${key} on ${r.label}: ${result.non2xx} non-2xx/3xx responses and ${result.socketErrors} socket errors ` +
          `out of ${result.requests} requests — the req/s figure is wrong`,
      );
    }
    // wrk's own req/s over its own duration; expressed as a Sample so rounds combine like the others.
    return { amount: result.requestsPerSec * this.seconds, ms: this.seconds * 1000 };
  }
}
