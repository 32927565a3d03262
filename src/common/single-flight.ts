/**
 * `read`, shared by the callers that arrive while it runs: at most one run at a time, each caller
 * given the result of the run under way (or of a new one when none is). Nothing is kept after a run,
 * so a caller never gets an answer older than the run it joined.
 */
export function singleFlight<T>(read: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  return () =>
    (running ??= read().finally(() => {
      running = undefined;
    }));
}

/**
 * singleFlight per key: callers asking for the same key while its run is under way share that run
 * (`joined`); a key's run is forgotten once it settles. What outlives a run is the caller's to keep.
 */
export function keyedSingleFlight<K, T>(): (key: K, read: () => Promise<T>) => { result: Promise<T>; joined: boolean } {
  const running = new Map<K, Promise<T>>();
  return (key, read) => {
    const under = running.get(key);
    if (under) return { result: under, joined: true };
    const result = read().finally(() => running.delete(key));
    running.set(key, result);
    return { result, joined: false };
  };
}
