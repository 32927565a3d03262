import { keyedSingleFlight, singleFlight } from './single-flight';

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

describe('keyedSingleFlight', () => {
  it('shares a run between the callers of one key only, and forgets it once settled (also when it failed)', async () => {
    const release = new Map<string, (() => void)[]>();
    let runs = 0;
    const flight = keyedSingleFlight<string, string>();
    const read = (key: string, fail = false) =>
      flight(
        key,
        () =>
          new Promise<string>((resolve, reject) =>
            release.set(key, [...(release.get(key) ?? []), () => (fail ? reject(new Error(key)) : resolve(`${key}#${++runs}`))]),
          ),
      );
    const [a1, a2, b1] = [read('a'), read('a'), read('b', true)];
    expect([a1.joined, a2.joined, b1.joined]).toEqual([false, true, false]);
    expect([release.get('a')!.length, release.get('b')!.length]).toEqual([1, 1]);
    release.get('a')![0]();
    release.get('b')![0]();
    expect(await Promise.all([a1.result, a2.result])).toEqual(['a#1', 'a#1']);
    await expect(b1.result).rejects.toThrow('b');
    const [a3, b2] = [read('a'), read('b')];
    expect([a3.joined, b2.joined]).toEqual([false, false]);
    release.get('a')![1]();
    release.get('b')![1]();
    expect(await Promise.all([a3.result, b2.result])).toEqual(['a#2', 'b#3']);
  });
});
