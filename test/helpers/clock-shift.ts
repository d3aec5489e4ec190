/**
 * A client whose clock is wrong, the way faketime makes one (faketime is not installed here):
 * preloaded into a child Node process with `NODE_OPTIONS=--import=<this file>`, it moves Date
 * (now, and `new Date()` without arguments) by WHARF_TEST_CLOCK_SHIFT_MS. Only that process's
 * idea of the time changes; the server keeps the real one.
 */
const shift = Number(process.env.WHARF_TEST_CLOCK_SHIFT_MS ?? '0');

if (Number.isFinite(shift) && shift !== 0) {
  const RealDate = Date;
  const realNow = RealDate.now.bind(RealDate);
  class ShiftedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(realNow() + shift);
      else super(...(args as [string]));
    }

    static override now(): number {
      return realNow() + shift;
    }
  }
  globalThis.Date = ShiftedDate as DateConstructor;
}

export {};
