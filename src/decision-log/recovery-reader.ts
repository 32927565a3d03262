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

const builtThread = (settings: RecoveryReadSettings) => new Worker(WORKER_FILE, { workerData: settings });

/** A read of the active calls' logs under way on its own thread. */
export interface RecoveryRead {
  readonly file: string;
  /** What the read is of (recovery-fingerprint.ts), as its thread saw it before reading; rejects with what stopped it. */
  readonly began: Promise<string>;
  /** The parts read, in order, as they come; throws what stopped the reader. Taken once. */
  chunks(): AsyncGenerator<CallLogChunk>;
  /** Stops the thread (a read not wanted after all). */
  cancel(): void;
}

/**
 * The active calls' logs read on a thread of its own (recovery-read.worker.ts), part by part: decrypting
 * the payloads and checking the chains does not take the main thread, which rebuilds each part meanwhile.
 * The thread starts reading at once; what it sends waits here until it is asked for.
 */
export function startRecoveryRead(file: string, thread: (settings: RecoveryReadSettings) => Worker = builtThread): RecoveryRead {
  const worker = thread({ file, chunkCalls: CHUNK_CALLS });
  const queue: RecoveryReadMessage[] = [];
  let failure: Error | null = null;
  let exited = false;
  let wake: (() => void) | null = null;
  let settleBegan!: { resolve: (fingerprint: string) => void; reject: (e: Error) => void };
  const began = new Promise<string>((resolve, reject) => (settleBegan = { resolve, reject }));
  began.catch(() => undefined); // the failure is also thrown by chunks(), to whoever reads them
  const fail = (e: Error) => {
    failure ??= e;
    settleBegan.reject(e);
    wake?.();
  };
  worker.on('message', (m: RecoveryReadMessage) => {
    if ('began' in m) return settleBegan.resolve(m.began);
    if ('error' in m) return fail(Object.assign(new Error(m.error.message), { code: m.error.code, details: m.error.details }));
    queue.push(m);
    wake?.();
  });
  worker.on('error', fail);
  worker.on('exit', () => {
    exited = true;
    fail(new Error('the recovery reader stopped before it had read every active call'));
  });
  const cancel = () => {
    if (!exited) void worker.terminate();
  };
  async function* chunks(): AsyncGenerator<CallLogChunk> {
    try {
      for (;;) {
        while (!queue.length) {
          if (failure) throw failure;
          await new Promise<void>((r) => (wake = r));
          wake = null;
        }
        const message = queue.shift()!;
        if ('done' in message) return;
        if ('chunk' in message) yield message.chunk;
      }
    } finally {
      cancel();
    }
  }
  return { file, began, chunks, cancel };
}
