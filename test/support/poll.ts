/** Waiting in tests: a plain pause, and polling until the server's background work shows. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `read` every 100 ms until `done` holds (work the server does in the background after a call ends); fails with the last value. */
export async function until<T>(what: string, read: () => Promise<T>, done: (x: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await sleep(100);
  }
}
