import { CoalescingQueue } from './coalescing-queue';

const turn = () => new Promise((r) => setImmediate(r));

describe('CoalescingQueue', () => {
  it('hands items pushed in one turn to one batch, and later ones to the next', async () => {
    const batches: number[][] = [];
    const q = new CoalescingQueue<number>(
      async (b) => void batches.push(b),
      () => undefined,
    );
    q.push(1);
    q.push(2);
    q.push(3);
    expect(batches).toEqual([]); // nothing runs synchronously
    await turn();
    await turn();
    q.push(4);
    await turn();
    await turn();
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('splits at max and runs one batch at a time', async () => {
    const batches: number[][] = [];
    let inFlight = 0;
    let most = 0;
    const q = new CoalescingQueue<number>(
      async (b) => {
        most = Math.max(most, ++inFlight);
        await turn();
        batches.push(b);
        inFlight--;
      },
      () => undefined,
      2,
    );
    [1, 2, 3, 4, 5].forEach((n) => q.push(n));
    while (batches.flat().length < 5) await turn();
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
    expect(most).toBe(1);
  });

  it('reports a failed batch and goes on with the next', async () => {
    const failed: number[][] = [];
    const done: number[][] = [];
    const q = new CoalescingQueue<number>(
      async (b) => {
        if (b.includes(1)) throw new Error('boom');
        done.push(b);
      },
      (_e, b) => failed.push(b),
      1,
    );
    q.push(1);
    q.push(2);
    while (done.length < 1) await turn();
    expect(failed).toEqual([[1]]);
    expect(done).toEqual([[2]]);
  });
});
