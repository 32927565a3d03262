import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import type { BrokenChain, CallLogChunk } from './decision-log';
import { verifyChain } from './hash-chain';
import { type LogRowsSource, readCallLogs } from './log-rows';
import { RECOVERY_FINGERPRINT_SQL, recoveryFingerprint, type RecoveryFingerprintRow } from './recovery-fingerprint';

/** What the recovery reader starts its thread with. */
export interface RecoveryReadSettings {
  file: string;
  /** Calls per part sent back. */
  chunkCalls: number;
}

/**
 * reader → main: first what the read is of (recovery-fingerprint.ts), then the active calls' logs part by
 * part (chains checked), then `done`; or the error that stopped it.
 */
export type RecoveryReadMessage =
  { began: string } | { chunk: CallLogChunk } | { done: true } | { error: { message: string; code?: string; name?: string; details?: unknown } };

/**
 * Crash recovery's reading, on its own thread and read-only connection: every active call's log,
 * payloads decrypted and hash chains checked, sent back in parts of `chunkCalls` calls, oldest first —
 * the main thread rebuilds one part while this reads the next.
 */
async function run({ file, chunkCalls }: RecoveryReadSettings): Promise<void> {
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 30_000 });
  const source: LogRowsSource = {
    options: { type: 'better-sqlite3' },
    query: async (sql, params = []) => db.prepare(sql).all(...params) as Record<string, unknown>[],
  };
  const post = (m: RecoveryReadMessage) => parentPort!.postMessage(m);
  try {
    post({ began: recoveryFingerprint(db.prepare(RECOVERY_FINGERPRINT_SQL).get() as RecoveryFingerprintRow) });
    const ids = db.prepare(`SELECT id FROM calls WHERE status = 'active' ORDER BY started_at, id`).pluck().all() as string[];
    for (let i = 0; i < ids.length; i += chunkCalls) {
      const logs = await readCallLogs(source, ids.slice(i, i + chunkCalls));
      const brokenChains: BrokenChain[] = [];
      for (const { call, events } of logs) {
        const chain = verifyChain(events);
        if (!chain.intact) brokenChains.push({ callId: call.id, seq: chain.brokenAt!.seq, reason: chain.brokenAt!.reason });
      }
      post({ chunk: { logs, brokenChains } });
    }
    post({ done: true });
  } catch (e) {
    const { message, code, name, details } = e as { message: string; code?: string; name?: string; details?: unknown };
    post({ error: { message, code, name, details } });
  } finally {
    db.close();
  }
}

void run(workerData as RecoveryReadSettings);
