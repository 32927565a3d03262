import { existsSync } from 'node:fs';
import type { CallLogChunk } from './decision-log';
import { recoveryFingerprint, type RecoveryFingerprintRow, RECOVERY_FINGERPRINT_SQL } from './recovery-fingerprint';
import { type RecoveryRead, recoveryReaderAvailable, startRecoveryRead } from './recovery-reader';

/**
 * Crash recovery's reading begun at process start (main.ts), before the server's code loads: the
 * live calls' logs are read, decrypted and chain-checked on another core during the second it takes
 * to load the modules and boot, instead of after. The read is used only if it still holds when the
 * log asks for it (recovery-fingerprint.ts): the migrations, the keys destroyed and every active
 * call's seq unchanged since; otherwise it is dropped and read again.
 */
let early: RecoveryRead | null = null;

/** Begins a read of a log file on its thread; null where the thread's script is not built (TypeScript under Jest). */
export type StartRead = (file: string) => RecoveryRead | null;
const startIfBuilt: StartRead = (file) => (recoveryReaderAvailable() ? startRecoveryRead(file) : null);

/** Begins the read where there is a log file to read (a new store has none). */
export function prefetchRecoveryRead(file: string, start: StartRead = startIfBuilt): void {
  if (early || !existsSync(file)) return;
  early = start(file);
}

/** Stops a read begun at start that nothing took (the boot went another way). */
export function abandonRecoveryPrefetch(): void {
  early?.cancel();
  early = null;
}

export interface RecoveryReadSource {
  /** The read begun at start; one begun now because that one no longer held (or failed); or one begun now because none was. */
  readonly read: 'begun at start' | 'again' | 'now';
  readonly chunks: AsyncGenerator<CallLogChunk>;
}

/**
 * The active calls' logs of `file`, off the main thread: the read begun at start if it was of this
 * file and still holds (`query` runs the fingerprint on the log's own connection), else a new read.
 */
export async function recoveryReadOf(
  file: string,
  query: (sql: string) => Promise<RecoveryFingerprintRow[]>,
  start: (file: string) => RecoveryRead = startRecoveryRead,
): Promise<RecoveryReadSource> {
  const begun = early;
  early = null;
  if (begun?.file === file && (await holds(begun, query))) return { read: 'begun at start', chunks: begun.chunks() };
  begun?.cancel();
  return { read: begun ? 'again' : 'now', chunks: start(file).chunks() };
}

async function holds(read: RecoveryRead, query: (sql: string) => Promise<RecoveryFingerprintRow[]>): Promise<boolean> {
  const then = await read.began.catch(() => null);
  if (then === null) return false;
  const [now] = await query(RECOVERY_FINGERPRINT_SQL);
  return recoveryFingerprint(now) === then;
}
