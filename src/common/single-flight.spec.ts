import { singleFlight } from './single-flight';

describe('singleFlight', () => {
  it('gives the callers that arrive during a run that run, and starts a new one for the next', async () => {
    let runs = 0;
    const release: (() => void)[] = [];
    const read = singleFlight(() => new Promise<number>((resolve) => release.push(() => resolve(++runs))));
    const [a, b] = [read(), read()];
    expect(release).toHaveLength(1);
    release[0]();
    expect(await Promise.all([a, b])).toEqual([1, 1]);
    const c = read();
    expect(release).toHaveLength(2);
    release[1]();
    expect(await c).toBe(2);
  });

  it('rejects every caller of a failed run, and the next caller runs again', async () => {
    let fail = true;
    const read = singleFlight(async () => {
      if (fail) throw new Error('disk');
      return 'ok';
    });
    const results = await Promise.allSettled([read(), read()]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(read()).resolves.toBe('ok');
  });
});
