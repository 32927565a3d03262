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
