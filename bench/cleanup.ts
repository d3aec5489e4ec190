/**
 * One place that knows what must be undone (child processes, temp dirs), so the
 * normal path, an exception and Ctrl-C all leave the machine as they found it.
 */
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

const children = new Set<ChildProcess>();
const dirs = new Set<string>();

/** Track a child so a signal or crash kills it; untracked automatically when it exits. */
export function trackChild(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

export function trackDir(dir: string): void {
  dirs.add(dir);
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  dirs.delete(dir);
}

/** Synchronous on purpose: it also runs from 'exit' and signal handlers, where nothing async completes. */
export function cleanupNow(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  for (const dir of dirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort: a failing rm must not hide the original error
    }
  }
  dirs.clear();
}

let installed = false;

/** Kill children and remove temp dirs on Ctrl-C / SIGTERM / unexpected exit. */
export function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\nbench: ${signal}, stopping servers and removing temp dirs\n`);
      cleanupNow();
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
  }
  process.once('exit', cleanupNow);
}
