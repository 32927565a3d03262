import { Worker } from 'node:worker_threads';
import {
  APPENDS_WAITING,
  END_OF_CALL_TURN,
  LOG_COMMITS,
  LOG_PRESSURE_SLOTS,
  LOG_TURN,
  logPressure,
  releaseEndOfCallTurn,
  withEndOfCallTurn,
  withLogTurn,
} from './log-pressure';

const fresh = () => new Int32Array(new SharedArrayBuffer(LOG_PRESSURE_SLOTS * Int32Array.BYTES_PER_ELEMENT));
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));
/**
 * Holds the wall clock still: a side waiting on the other's turn then never takes it for stale
 * (STALE_TURN_MS, 250 ms), however long a loaded machine stalls the timer or the other thread.
 */
const stillClock = () => jest.spyOn(Date, 'now').mockReturnValue(Date.now());
afterEach(() => jest.restoreAllMocks());

describe('the SQLite write turns (the log first, the end-of-call work in the gaps)', () => {
  it('the end-of-call write waits while the log commits, and runs once the log lowers its turn', async () => {
    const turns = fresh();
    stillClock();
    Atomics.store(turns, LOG_TURN, 1);
    let wrote = false;
    const done = withEndOfCallTurn(turns, 0, async () => {
      wrote = true;
      return Atomics.load(turns, END_OF_CALL_TURN);
    });
    await tick(30);
    expect(wrote).toBe(false);
    Atomics.store(turns, LOG_TURN, 0);
    Atomics.notify(turns, LOG_TURN);
    expect(await done).toBe(1); // inside its own turn
    expect(Atomics.load(turns, END_OF_CALL_TURN)).toBe(0); // given back
  });

  it('prefers the gap between commits while appends wait, but only for as long as it was told', async () => {
    const turns = fresh();
    Atomics.store(turns, APPENDS_WAITING, 3);
    let wrote = false;
    const patient = withEndOfCallTurn(turns, 60_000, async () => void (wrote = true));
    await tick(30);
    expect(wrote).toBe(false);
    Atomics.store(turns, APPENDS_WAITING, 0);
    await patient;
    expect(wrote).toBe(true);

    Atomics.store(turns, APPENDS_WAITING, 3); // appends never drain: the preference ends, the write goes ahead
    await expect(withEndOfCallTurn(turns, 10, async () => 'written')).resolves.toBe('written');
  });

  it('gives its turn back when the write fails', async () => {
    const turns = fresh();
    await expect(withEndOfCallTurn(turns, 0, async () => Promise.reject(new Error('SQLITE_FULL')))).rejects.toThrow('SQLITE_FULL');
    expect(Atomics.load(turns, END_OF_CALL_TURN)).toBe(0);
  });

  it("the log's commit waits for an end-of-call transaction under way on another thread, then commits in its own turn", async () => {
    const turns = fresh();
    stillClock();
    // Another thread holds the end-of-call turn and releases it after a while.
    const holder = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const t = new Int32Array(workerData);
       Atomics.store(t, ${END_OF_CALL_TURN}, 1);
       parentPort.postMessage('held');
       setTimeout(() => { Atomics.store(t, ${END_OF_CALL_TURN}, 0); Atomics.notify(t, ${END_OF_CALL_TURN}); }, 50);`,
      { eval: true, workerData: turns.buffer },
    );
    await new Promise((r) => holder.once('message', r));
    const seen = withLogTurn(turns, () => ({ endOfCall: Atomics.load(turns, END_OF_CALL_TURN), log: Atomics.load(turns, LOG_TURN) }));
    expect(seen).toEqual({ endOfCall: 0, log: 1 });
    expect(Atomics.load(turns, LOG_TURN)).toBe(0);
    await holder.terminate();
  });

  it('each commit is counted, so the end-of-call worker can tell the decision path is busy', () => {
    const turns = fresh();
    withLogTurn(turns, () => undefined);
    expect(() =>
      withLogTurn(turns, () => {
        throw new Error('the commit failed');
      }),
    ).toThrow('the commit failed');
    expect(Atomics.load(turns, LOG_COMMITS)).toBe(2);
  });

  it('without shared turns (no end-of-call worker) both sides simply run', async () => {
    expect(withLogTurn(null, () => 7)).toBe(7);
    await expect(withEndOfCallTurn(null, 50, async () => 8)).resolves.toBe(8);
  });

  it('a turn held by an end-of-call thread that died is released when its exit is seen', () => {
    Atomics.store(logPressure, END_OF_CALL_TURN, 1);
    releaseEndOfCallTurn();
    expect(Atomics.load(logPressure, END_OF_CALL_TURN)).toBe(0);
    expect(withLogTurn(logPressure, () => 'committed at once')).toBe('committed at once');
  });
});
