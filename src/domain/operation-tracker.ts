/**
 * Long-running operations of the management plane (image import, garbage collection), kept in
 * memory so a client that asked for asynchronous completion can poll their progress through
 * the operation-status resource. Operations are bound to the process that runs them: a
 * restart ends them (a partial import leaves only upload sessions, which the upload purger
 * removes; a partial garbage collection is finished by running it again).
 */
import { randomUUID } from 'node:crypto';
import { translator, type Language } from '../i18n/index.js';
import type { Text } from '../i18n/localized.js';
import { operationProgressMessages, type OperationProgressKey } from './operation-progress-messages.js';

export type OperationKind = 'importImage' | 'garbageCollect' | 'scrub';
export type OperationState = 'InProgress' | 'Succeeded' | 'Failed';

/** What an operation is doing now, as a message: rendered in the language of whoever reads the status. */
interface OperationStep {
  key: OperationProgressKey;
  values: Record<string, string | number>;
}

export function operationStep(key: OperationProgressKey, values: Record<string, string | number> = {}): OperationStep {
  return { key, values };
}

/** The step in `language` ("copying sha256:…", "copie de sha256:…"). */
export function stepText(step: OperationStep, language: Language): string {
  return translator(operationProgressMessages, language)(step.key, step.values);
}

/** What the operation reports while it runs. */
export interface OperationProgress {
  /** What it is doing now, e.g. copying a blob. */
  step: OperationStep;
  bytesDone: number;
  bytesTotal: number;
  itemsDone: number;
  itemsTotal: number;
}

export interface OperationRecord {
  id: string;
  kind: OperationKind;
  /** The registry the operation acts on (its status is read with read access to it). */
  registry: string;
  state: OperationState;
  startTime: string;
  endTime?: string;
  progress: OperationProgress;
  result?: Record<string, unknown>;
  /** Why it failed: the message is rendered in the language of whoever reads the status. */
  error?: { code: string; message: Text };
}

/** The operation's handle on its own record. */
export interface ProgressReporter {
  update(change: Partial<OperationProgress>): void;
  addBytes(count: number): void;
}

/** Finished operations stay readable this long, so a slow poller still sees the outcome. */
const KEEP_FINISHED_MS = 60 * 60 * 1000;
const MAX_KEPT = 1000;

/**
 * The process's operations: one instance (start.ts), because the status of an operation can
 * only be read where it runs; the management routes and the operations share it.
 */
export class OperationTracker {
  private readonly operations = new Map<string, OperationRecord>();
  /** Kinds that run one at a time per registry (gc, scrub), by `kind:registry`. */
  private readonly exclusive = new Set<string>();

  /**
   * Claims the right to run `kind` on `registry` alone in this process: the release function, or
   * undefined while another one runs (the caller answers 409 OperationInProgress).
   */
  claim(kind: OperationKind, registry: string): (() => void) | undefined {
    const key = `${kind}:${registry.toLowerCase()}`;
    if (this.exclusive.has(key)) return undefined;
    this.exclusive.add(key);
    return () => this.exclusive.delete(key);
  }

  start(kind: OperationKind, registry: string): { record: OperationRecord; reporter: ProgressReporter } {
    this.prune();
    const record: OperationRecord = {
      id: randomUUID(),
      kind,
      registry,
      state: 'InProgress',
      startTime: new Date().toISOString(),
      progress: { step: operationStep('starting'), bytesDone: 0, bytesTotal: 0, itemsDone: 0, itemsTotal: 0 },
    };
    this.operations.set(record.id, record);
    const reporter: ProgressReporter = {
      update: (change) => Object.assign(record.progress, change),
      addBytes: (count) => {
        record.progress.bytesDone += count;
      },
    };
    return { record, reporter };
  }

  succeed(record: OperationRecord, result: Record<string, unknown>): void {
    record.state = 'Succeeded';
    record.result = result;
    record.endTime = new Date().toISOString();
  }

  fail(record: OperationRecord, error: { code: string; message: Text }): void {
    record.state = 'Failed';
    record.error = error;
    record.endTime = new Date().toISOString();
  }

  get(id: string): OperationRecord | undefined {
    return this.operations.get(id);
  }

  private prune(): void {
    const cutoff = Date.now() - KEEP_FINISHED_MS;
    for (const [id, record] of this.operations) {
      const ended = record.endTime ? Date.parse(record.endTime) : undefined;
      if ((ended !== undefined && ended < cutoff) || this.operations.size > MAX_KEPT) {
        if (record.state !== 'InProgress') this.operations.delete(id);
      }
    }
  }
}

/** 0–100: bytes when there are bytes to move, else items. */
export function percentComplete(record: OperationRecord): number {
  if (record.state === 'Succeeded') return 100;
  const { bytesDone, bytesTotal, itemsDone, itemsTotal } = record.progress;
  const fraction = bytesTotal > 0 ? bytesDone / bytesTotal : itemsTotal > 0 ? itemsDone / itemsTotal : 0;
  // Never 100 before the end: the last step (tagging, sweeping files) is still to come; a
  // failed operation stays where it stopped.
  return Math.min(99, Math.floor(fraction * 100));
}
