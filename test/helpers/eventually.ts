/**
 * Retries a check until it passes or the time is up: what the caches (rules, grants, host
 * routing: 2–3 s), the listener reconcile (5 s) and the audit flush (250 ms) need in tests.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export async function eventually<T>(check: () => Promise<T>, ms = 8000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(everyMs);
    }
  }
}
