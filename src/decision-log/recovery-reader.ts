import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CallLogChunk } from './decision-log';
import type { RecoveryReadMessage, RecoveryReadSettings } from './recovery-read.worker';

const WORKER_FILE = path.join(__dirname, 'recovery-read.worker.js');
/** Calls per part: small enough that rebuilding a part and reading the next overlap well, large enough to keep statements few. */
const CHUNK_CALLS = 500;

/** True where the reader thread's script is built (dist/), not when the TypeScript runs under Jest. */
export function recoveryReaderAvailable(): boolean {
  return existsSync(WORKER_FILE);
}

/**
 * The active calls' logs read on a thread of its own (recovery-read.worker.ts), part by part as
 * they come: decrypting the payloads and checking the chains no longer takes the main thread, which
 * rebuilds each part meanwhile. Throws what stopped the reader (the boot then fails, as before).
 */
export async function* readActiveLogsOffThread(file: string): AsyncGenerator<CallLogChunk> {
  const worker = new Worker(WORKER_FILE, { workerData: { file, chunkCalls: CHUNK_CALLS } satisfies RecoveryReadSettings });
  const queue: RecoveryReadMessage[] = [];
  let failure: Error | null = null;
  let exited = false;
  let wake: (() => void) | null = null;
  worker.on('message', (m: RecoveryReadMessage) => {
    queue.push(m);
    wake?.();
  });
  worker.on('error', (e) => {
    failure = e;
    wake?.();
  });
  worker.on('exit', () => {
    exited = true;
    wake?.();
  });
  try {
    for (;;) {
      while (!queue.length) {
        if (failure) throw failure;
        if (exited) throw new Error('the recovery reader stopped before it had read every active call');
        await new Promise<void>((r) => (wake = r));
        wake = null;
      }
      const message = queue.shift()!;
      if ('done' in message) return;
      if ('error' in message) throw Object.assign(new Error(message.error.message), { code: message.error.code, details: message.error.details });
      yield message.chunk;
    }
  } finally {
    if (!exited) void worker.terminate();
  }
}
