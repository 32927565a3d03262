import { inTurns } from './in-turns';

describe('inTurns', () => {
  it('answers every key asked in one turn of the event loop from one batch, across callbacks', async () => {
    const batches: string[][] = [];
    const loader = inTurns(async (keys: readonly string[]) => {
      batches.push([...keys]);
      return keys.map((k) => (k === 'bad' ? new Error(`no ${k}`) : k.toUpperCase()));
    });
    // Two timer callbacks of the same turn, as two WebSocket frames read together are two I/O callbacks.
    const asked = await new Promise<Promise<string>[]>((resolve) => {
      const loads: Promise<string>[] = [];
      setTimeout(() => loads.push(loader.load('a'), loader.load('bad')), 0);
      setTimeout(() => {
        loads.push(loader.load('b'), loader.load('a'));
        resolve(loads);
      }, 0);
    });
    const settled = await Promise.allSettled(asked);
    expect(batches).toEqual([['a', 'bad', 'b', 'a']]);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual(['A', 'no bad', 'B', 'A']);
  });

  it('asks the store again in a later turn (nothing cached)', async () => {
    let calls = 0;
    const loader = inTurns(async (keys: readonly number[]) => {
      calls++;
      return keys.map((k) => k * 2);
    });
    expect(await loader.load(1)).toBe(2);
    expect(await loader.load(1)).toBe(2);
    expect(calls).toBe(2);
  });
});
