import { DutyCycle } from './duty-cycle';

describe('DutyCycle', () => {
  it('rests so busy time is the share of a core while the log commits', () => {
    const quarter = new DutyCycle(0.25);
    // 4 ms of work, then 12 ms of rest: busy 4 of every 16 ms.
    expect(quarter.restAfter(4, true)).toBe(12);
    expect(new DutyCycle(0.5).restAfter(3, true)).toBe(3);
  });

  it('works flat out while the log is quiet, with a full share, or after no work', () => {
    expect(new DutyCycle(0.25).restAfter(4, false)).toBe(0);
    expect(new DutyCycle(1).restAfter(4, true)).toBe(0);
    expect(new DutyCycle(0.25).restAfter(0, true)).toBe(0);
  });

  it('never rests longer than a second after one batch', () => {
    expect(new DutyCycle(0.1).restAfter(5_000, true)).toBe(DutyCycle.MAX_REST_MS);
  });

  it('refuses a share outside (0, 1]', () => {
    expect(() => new DutyCycle(0)).toThrow(RangeError);
    expect(() => new DutyCycle(1.5)).toThrow(RangeError);
  });
});
