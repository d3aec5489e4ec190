/**
 * A metadata store that counts the calls made to it, by `index.method` (e.g.
 * `registries.get`): wraps any MetadataStore in a Proxy, so a test can measure how many
 * queries one request costs and hold the figure as an upper bound.
 */
import type { MetadataStore } from '../../src/storage/metadata/store.js';

export interface StoreCallCounts {
  /** Calls since the last reset, in order. */
  readonly calls: readonly string[];
  total(): number;
  /** Calls of one `index.method`. */
  count(name: string): number;
  /** Calls grouped by name, for an assertion message. */
  summary(): Record<string, number>;
  reset(): void;
}

export function countingStore(store: MetadataStore): { store: MetadataStore; counts: StoreCallCounts } {
  const calls: string[] = [];
  const wrapped = new WeakMap<object, unknown>();
  const wrapIndex = (index: object, prefix: string): unknown => {
    const existing = wrapped.get(index);
    if (existing) return existing;
    const proxy = new Proxy(index, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function' || typeof property !== 'string') return value;
        return (...args: unknown[]) => {
          calls.push(`${prefix}${property}`);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    wrapped.set(index, proxy);
    return proxy;
  };
  const proxy = new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== 'string') return value;
      if (typeof value === 'function') {
        return (...args: unknown[]) => {
          calls.push(property);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      if (value !== null && typeof value === 'object') return wrapIndex(value, `${property}.`);
      return value;
    },
  });
  const counts: StoreCallCounts = {
    calls,
    total: () => calls.length,
    count: (name) => calls.filter((c) => c === name).length,
    summary: () => {
      const out: Record<string, number> = {};
      for (const call of calls) out[call] = (out[call] ?? 0) + 1;
      return out;
    },
    reset: () => {
      calls.length = 0;
    },
  };
  return { store: proxy, counts };
}
