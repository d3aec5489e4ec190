/**
 * Failed-login throttling, so a password cannot be guessed faster than a limit allows and no
 * stranger can lock a legitimate user out:
 * - per client address and identity: `limit` failures in the window lock that pair; each
 *   further lock-out of the same pair lasts twice as long (up to an hour). The same identity
 *   stays usable from every address that has not failed;
 * - per client address, whatever identity it names: three times the limit (password spraying).
 * An attempt is reserved before its credentials are checked, so concurrent attempts count
 * against the limit at once: a burst cannot have more checks under way than failures allowed.
 * Identities are compared without regard to case or surrounding space ('WHARF' is 'wharf').
 */
export type ThrottleKey = { kind: 'address'; address: string } | { kind: 'identity'; address: string; identity: string };

export interface ThrottleVerdict {
  limited: boolean;
  /** Seconds until another attempt is allowed. */
  retryAfter: number;
  /** Which key tripped. */
  key?: ThrottleKey;
}

/** An attempt under way: exactly one of its methods settles it (later calls do nothing). */
interface LoginAttempt {
  succeeded(at?: number): void;
  failed(at?: number): void;
}

type AttemptResult = { limited: true; verdict: ThrottleVerdict } | { limited: false; attempt: LoginAttempt };

interface KeyState {
  /** Failure times within the window. */
  failures: number[];
  /** Attempts reserved and not yet settled. */
  inFlight: number;
  /** Lock-outs so far (the next one lasts 2^trips windows). */
  trips: number;
  lockedUntil: number;
  lastTouched: number;
}

const ADDRESS_FACTOR = 3;
const MAX_LOCK_MS = 3600_000;
/** A pair's lock-out history is forgotten after this long without a failure. */
const TRIPS_MEMORY_MS = 24 * 3600_000;
const MAX_KEYS = 100_000;

export class LoginThrottle {
  private readonly states = new Map<string, KeyState>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  private keysOf(address: string, identity: string | null): { key: ThrottleKey; id: string; limit: number }[] {
    const keys: { key: ThrottleKey; id: string; limit: number }[] = [
      { key: { kind: 'address', address }, id: `a ${address}`, limit: this.limit * ADDRESS_FACTOR },
    ];
    const name = identity?.trim().toLowerCase();
    if (name) keys.push({ key: { kind: 'identity', address, identity: name }, id: `i ${address} ${name}`, limit: this.limit });
    return keys;
  }

  private state(id: string, now: number): KeyState {
    let state = this.states.get(id);
    if (!state) {
      if (this.states.size >= MAX_KEYS) this.sweep(now);
      state = { failures: [], inFlight: 0, trips: 0, lockedUntil: 0, lastTouched: now };
      this.states.set(id, state);
    }
    state.failures = state.failures.filter((t) => now - t < this.windowMs);
    if (now - state.lastTouched > TRIPS_MEMORY_MS) state.trips = 0;
    return state;
  }

  /** Drops keys with nothing to remember; if that is not enough, the least recently used half. */
  private sweep(now: number): void {
    for (const [id, state] of this.states) {
      const quiet = state.inFlight === 0 && state.lockedUntil <= now && state.failures.every((t) => now - t >= this.windowMs);
      if (quiet && (state.trips === 0 || now - state.lastTouched > TRIPS_MEMORY_MS)) this.states.delete(id);
    }
    if (this.states.size < MAX_KEYS) return;
    const byAge = [...this.states.entries()].filter(([, s]) => s.inFlight === 0).sort((a, b) => a[1].lastTouched - b[1].lastTouched);
    for (const [id] of byAge.slice(0, Math.ceil(byAge.length / 2))) this.states.delete(id);
  }

  /** Whether an attempt would be refused now, without reserving one. */
  check(address: string, identity: string | null, now = Date.now()): ThrottleVerdict {
    for (const { key, id, limit } of this.keysOf(address, identity)) {
      const state = this.states.get(id);
      if (!state) continue;
      const verdict = this.verdictOf(this.state(id, now), limit, now);
      if (verdict !== undefined) return { limited: true, retryAfter: verdict, key };
    }
    return { limited: false, retryAfter: 0 };
  }

  /** Seconds to wait, or undefined when an attempt may start. */
  private verdictOf(state: KeyState, limit: number, now: number): number | undefined {
    if (state.lockedUntil > now) return Math.max(1, Math.ceil((state.lockedUntil - now) / 1000));
    // Attempts under way count as failures until they are known not to be.
    if (state.failures.length + state.inFlight >= limit) {
      return state.failures.length > 0 ? Math.max(1, Math.ceil((state.failures[0]! + this.windowMs - now) / 1000)) : 1;
    }
    return undefined;
  }

  /**
   * Reserves an attempt for `identity` from `address`, or says why not. Synchronous, so the
   * check and the reservation cannot be separated by another request.
   */
  begin(address: string, identity: string | null, now = Date.now()): AttemptResult {
    const keys = this.keysOf(address, identity);
    const states = keys.map(({ id }) => this.state(id, now));
    for (let i = 0; i < keys.length; i++) {
      const retryAfter = this.verdictOf(states[i]!, keys[i]!.limit, now);
      if (retryAfter !== undefined) return { limited: true, verdict: { limited: true, retryAfter, key: keys[i]!.key } };
    }
    for (const state of states) {
      state.inFlight++;
      state.lastTouched = now;
    }
    let settled = false;
    const settle = (failed: boolean, at = Date.now()) => {
      if (settled) return;
      settled = true;
      keys.forEach(({ key, limit }, i) => {
        const state = states[i]!;
        state.inFlight = Math.max(0, state.inFlight - 1);
        if (failed) this.recordFailure(state, limit, at);
        // A success from this address ends the pair's record; the address's own record stays,
        // or one valid account would wash away a spray's failures.
        else if (key.kind === 'identity') Object.assign(state, { failures: [], trips: 0, lockedUntil: 0 });
      });
    };
    return { limited: false, attempt: { succeeded: (at) => settle(false, at), failed: (at) => settle(true, at) } };
  }

  private recordFailure(state: KeyState, limit: number, now: number): void {
    state.failures = state.failures.filter((t) => now - t < this.windowMs);
    state.failures.push(now);
    state.lastTouched = now;
    if (state.failures.length >= limit) {
      // Locked for one window the first time, then twice as long each time after.
      state.lockedUntil = now + Math.min(MAX_LOCK_MS, this.windowMs * 2 ** state.trips);
      state.trips++;
      state.failures = [];
    }
  }

  /** Records a failure outside a reserved attempt (a refused token at /oauth2/exchange). */
  fail(address: string, identity: string | null, now = Date.now()): void {
    const result = this.begin(address, identity, now);
    if (!result.limited) result.attempt.failed(now);
  }
}
