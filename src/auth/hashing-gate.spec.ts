import { AppError } from '../common/app-error';
import { HashingGate } from './hashing-gate';

describe('HashingGate', () => {
  it('runs at most `concurrency` at once, queues up to `maxWaiting`, refuses the rest with RATE_LIMITED', async () => {
    const gate = new HashingGate(2, 3);
    let running = 0;
    let most = 0;
    const releases: (() => void)[] = [];
    const work = () =>
      new Promise<string>((resolve) => {
        running++;
        most = Math.max(most, running);
        releases.push(() => {
          running--;
          resolve('ok');
        });
      });
    const results = Array.from({ length: 7 }, () => gate.run(work).catch((e: unknown) => (e instanceof AppError ? e.code : 'other')));
    await new Promise((r) => setImmediate(r));
    expect(gate.inFlight).toBe(2);
    expect(gate.queued).toBe(3);
    expect(await results[5]).toBe('RATE_LIMITED');
    expect(await results[6]).toBe('RATE_LIMITED');
    while (releases.length || gate.inFlight) {
      releases.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
    expect(await Promise.all(results.slice(0, 5))).toEqual(Array(5).fill('ok'));
    expect(most).toBe(2);
    expect(gate.inFlight).toBe(0);
  });
});
