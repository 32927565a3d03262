import { freshWithin } from './fresh-within';

describe('freshWithin', () => {
  /** A read whose runs are settled by hand, on a clock that moves a second per read asked. */
  function controlled() {
    const pending: { resolve: (v: number) => void; reject: (e: Error) => void }[] = [];
    let second = 0;
    const read = freshWithin(
      () => new Promise<number>((resolve, reject) => pending.push({ resolve, reject })),
      20,
      () => new Date(Date.UTC(2026, 11, 6, 12, 0, second++)),
    );
    return { read, pending };
  }

  it('waits for the first reading, however long it takes: there is nothing older to give', async () => {
    const { read, pending } = controlled();
    const first = read();
    await new Promise((r) => setTimeout(r, 50));
    pending[0].resolve(7);
    expect(await first).toEqual({ value: 7, readAt: '2026-12-06T12:00:00.000Z' });
  });

  it('answers fresh when the read comes in time, with the last reading (and its time) when it does not', async () => {
    const { read, pending } = controlled();
    const first = read();
    pending[0].resolve(1);
    await first;
    // The port is busy: the read does not come within 20 ms.
    const late = await read();
    expect(late).toEqual({ value: 1, readAt: '2026-12-06T12:00:00.000Z' });
    expect(pending).toHaveLength(2);
    // Callers meanwhile join the read under way (no second read queued behind the busy port).
    const joined = read();
    expect(pending).toHaveLength(2);
    pending[1].resolve(2);
    expect(await joined).toEqual({ value: 2, readAt: '2026-12-06T12:00:01.000Z' });
    // The next read comes in time: fresh.
    const next = read();
    pending[2].resolve(3);
    expect(await next).toEqual({ value: 3, readAt: '2026-12-06T12:00:02.000Z' });
  });

  it("passes a failed read's error to its callers, and keeps the last good reading for later", async () => {
    const { read, pending } = controlled();
    const first = read();
    pending[0].resolve(1);
    await first;
    const failing = read();
    pending[1].reject(new Error('the read thread exited'));
    await expect(failing).rejects.toThrow('the read thread exited');
    const slow = await read();
    expect(slow).toEqual({ value: 1, readAt: '2026-12-06T12:00:00.000Z' });
  });
});
