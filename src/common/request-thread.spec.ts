import { Worker } from 'node:worker_threads';
import { RequestThread } from './request-thread';

/** A thread that sleeps `ms` (blocking, as a long SQLite read does) and answers `ms`; `ms` < 0 throws. */
const SLEEPER = `
const { parentPort } = require('node:worker_threads');
const cell = new Int32Array(new SharedArrayBuffer(4));
parentPort.on('message', ({ id, body }) => {
  Atomics.wait(cell, 0, 0, Math.abs(body.ms));
  parentPort.postMessage(body.ms < 0 ? { id, error: { message: 'refused', code: 'E_TEST' } } : { id, result: body.ms });
});`;

describe('RequestThread: one request on the thread at a time', () => {
  const threads: RequestThread<{ ms: number }, number, null>[] = [];
  let spawned = 0;
  const thread = (timeoutMs: number) => {
    const t = new RequestThread<{ ms: number }, number, null>({
      name: 'the test thread',
      file: '',
      workerData: null,
      timeoutMs,
      spawn: () => {
        spawned++;
        return new Worker(SLEEPER, { eval: true });
      },
    });
    threads.push(t);
    return t;
  };
  afterAll(() => Promise.all(threads.map((t) => t.close())));

  it('times a request from when it runs, not from when it was asked: one queued behind a long one is not given up on', async () => {
    const t = thread(1_000);
    // Together 1.2 s, each well inside 1 s: the second waits 0.7 s, then runs 0.5 s.
    const [long, queued] = await Promise.allSettled([t.request({ ms: 700 }, 'the long one'), t.request({ ms: 500 }, 'the queued one')]);
    expect(long).toEqual({ status: 'fulfilled', value: 700 });
    expect(queued).toEqual({ status: 'fulfilled', value: 500 });
  });

  it('gives up on a stuck request and terminates its thread; the ones waiting behind it run on a new thread', async () => {
    const t = thread(300);
    const before = spawned;
    const [stuck, waiting, refused] = await Promise.allSettled([
      t.request({ ms: 5_000 }, 'the stuck one'),
      t.request({ ms: 10 }, 'the next one'),
      t.request({ ms: -10 }, 'a refused one'),
    ]);
    expect(stuck).toMatchObject({
      status: 'rejected',
      reason: { code: 'INTERNAL', message: expect.stringContaining('the stuck one took longer than 300 ms') },
    });
    expect(waiting).toEqual({ status: 'fulfilled', value: 10 });
    expect(refused).toMatchObject({ status: 'rejected', reason: { message: 'refused', code: 'E_TEST' } });
    expect(spawned - before).toBe(2);
  });

  it('rejects what is waiting when closed, and refuses requests after', async () => {
    const t = thread(5_000);
    const settled = Promise.allSettled([t.request({ ms: 200 }, 'running'), t.request({ ms: 10 }, 'waiting')]);
    await t.close();
    const [running, waiting] = await settled;
    expect(running).toMatchObject({ status: 'rejected', reason: { code: 'INTERNAL' } });
    expect(waiting).toMatchObject({ status: 'rejected', reason: { code: 'INTERNAL', message: expect.stringContaining('stopped') } });
    await expect(t.request({ ms: 1 }, 'late')).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
