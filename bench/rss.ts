/**
 * Resident memory of a server process (and any children it forks), from
 * /proc. Two sources, take the larger: VmHWM after resetting it via
 * clear_refs (exact kernel peak, main process only) and VmRSS of the whole
 * process tree polled every 50 ms (catches worker processes too).
 */
import { readFileSync, writeFileSync } from 'node:fs';

const KiB = 1024;

function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) * KiB : 0;
  } catch {
    return 0; // process (or a child) went away between listing and reading
  }
}

function childrenOf(pid: number): number[] {
  const result: number[] = [];
  try {
    for (const tid of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)) {
      if (tid) result.push(Number(tid));
    }
  } catch {
    // no children file (kernel without CONFIG_PROC_CHILDREN) or process gone
  }
  return result;
}

/** Current RSS of pid plus all its descendants, in bytes. */
export function treeRss(pid: number): number {
  let total = 0;
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop()!;
    total += statusField(p, 'VmRSS');
    stack.push(...childrenOf(p));
  }
  return total;
}

/** Track the peak RSS of `pid` while `work` runs. */
export async function peakRssDuring<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; peak: number }> {
  let hwmReset = false;
  try {
    // "5" resets VmHWM to the current RSS (Linux ≥ 4.0), so HWM is the peak of this window only.
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    hwmReset = true;
  } catch {
    // not permitted: fall back to polling alone
  }
  let peak = treeRss(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, treeRss(pid));
  }, 50);
  try {
    const result = await work();
    peak = Math.max(peak, treeRss(pid));
    if (hwmReset) peak = Math.max(peak, statusField(pid, 'VmHWM'));
    return { result, peak };
  } finally {
    clearInterval(timer);
  }
}
