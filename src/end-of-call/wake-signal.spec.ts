import { WakeSignal } from './wake-signal';

describe('the end-of-call wake signal', () => {
  it('sends no wake-up while the worker is awake, however many calls end', () => {
    const main = new WakeSignal();
    const worker = new WakeSignal(main.buffer);
    const mark = worker.mark();
    for (let i = 0; i < 1_000; i++) expect(main.callsEnded()).toBe(false);
    // The worker notices on its own that calls ended while it looked, and looks again.
    expect(worker.sleepUnless(mark)).toBe(false);
    expect(main.callsEnded()).toBe(false);
  });

  it('sends exactly one wake-up to a sleeping worker', () => {
    const main = new WakeSignal();
    const worker = new WakeSignal(main.buffer);
    expect(worker.sleepUnless(worker.mark())).toBe(true);
    expect(main.callsEnded()).toBe(true);
    expect(main.callsEnded()).toBe(false);
    expect(main.callsEnded()).toBe(false);
    // Woken, it looks, and sleeps again: the next ended call wakes it again.
    worker.awake();
    expect(worker.sleepUnless(worker.mark())).toBe(true);
    expect(main.callsEnded()).toBe(true);
  });

  it('sends none to a worker whose poll woke it first', () => {
    const main = new WakeSignal();
    const worker = new WakeSignal(main.buffer);
    expect(worker.sleepUnless(worker.mark())).toBe(true);
    worker.awake();
    expect(main.callsEnded()).toBe(false);
  });

  it('a new worker starts awake', () => {
    const main = new WakeSignal();
    const worker = new WakeSignal(main.buffer);
    expect(worker.sleepUnless(worker.mark())).toBe(true);
    main.reset();
    expect(main.callsEnded()).toBe(false);
  });
});
