/**
 * Failed-login throttling: per client address and per identity, a sliding window of failures.
 * Past the limit, further attempts are refused (429 TOOMANYREQUESTS) until the window passes,
 * whatever the credentials, so a password cannot be guessed faster than the limit allows.
 */
export interface ThrottleVerdict {
  limited: boolean;
  /** Seconds until another attempt is allowed. */
  retryAfter: number;
  /** Which key tripped: "address 127.0.0.1" or "identity 'x'". */
  key?: string;
}

const MAX_KEYS = 100_000;

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  private recent(key: string, now: number): number[] {
    const times = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (times.length === 0) this.failures.delete(key);
    else this.failures.set(key, times);
    return times;
  }

  /** Call before checking credentials. */
  check(address: string, identity: string | null, now = Date.now()): ThrottleVerdict {
    const keys = [`address ${address}`, ...(identity ? [`identity '${identity}'`] : [])];
    for (const key of keys) {
      const times = this.recent(key, now);
      if (times.length >= this.limit) {
        return { limited: true, retryAfter: Math.max(1, Math.ceil((times[0]! + this.windowMs - now) / 1000)), key };
      }
    }
    return { limited: false, retryAfter: 0 };
  }

  /** Call after credentials were refused. */
  fail(address: string, identity: string | null, now = Date.now()): void {
    if (this.failures.size > MAX_KEYS) this.failures.clear();
    for (const key of [`address ${address}`, ...(identity ? [`identity '${identity}'`] : [])]) {
      const times = this.recent(key, now);
      times.push(now);
      this.failures.set(key, times);
    }
  }
}
