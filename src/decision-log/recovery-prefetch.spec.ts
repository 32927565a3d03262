import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { DataSource } from 'typeorm';
import { callRecord, INTERLEAVED_LIVE_CALLS, loggedEvent } from '../testing/log-records';
import { openTestDatabase } from '../testing/sqlite-data-source';
import { tsWorker } from '../testing/ts-worker';
import type { CallLog } from './decision-log';
import { readActiveCallLogs } from './log-rows';
import { RECOVERY_FINGERPRINT_SQL, recoveryFingerprint, type RecoveryFingerprintRow } from './recovery-fingerprint';
import { abandonRecoveryPrefetch, prefetchRecoveryRead, recoveryReadOf } from './recovery-prefetch';
import type { RecoveryReadSettings } from './recovery-read.worker';
import { type RecoveryRead, startRecoveryRead } from './recovery-reader';
import { SqliteDecisionLog } from './sqlite-decision-log';

/** The real reader thread (its TypeScript compiled on the fly), counted so a spec sees which reads began. */
const WORKER_TS = path.join(__dirname, 'recovery-read.worker.ts');
const reads: RecoveryRead[] = [];
const threads: Worker[] = [];
const realRead = (file: string): RecoveryRead => {
  const read = startRecoveryRead(file, (settings: RecoveryReadSettings) => {
    const thread = tsWorker(WORKER_TS, settings);
    threads.push(thread);
    return thread;
  });
  reads.push(read);
  return read;
};
const begun = () => reads.map((r) => r.file);

const collect = async (chunks: AsyncGenerator<{ logs: CallLog[] }>) => {
  const logs: CallLog[] = [];
  for await (const chunk of chunks) logs.push(...chunk.logs);
  return logs.sort((a, b) => a.call.id.localeCompare(b.call.id));
};

describe('crash recovery’s read begun at process start (recovery-prefetch.ts)', () => {
  let dataSource: DataSource;
  let dir: string;
  let file: string;
  let log: SqliteDecisionLog;
  const query = (sql: string) => dataSource.query<RecoveryFingerprintRow[]>(sql);
  const fingerprint = async () => recoveryFingerprint((await query(RECOVERY_FINGERPRINT_SQL))[0]);
  const append = (id: string, seq: number, over: Parameters<typeof callRecord>[2] = {}) => log.append(loggedEvent(id, seq), callRecord(id, seq, over));

  beforeAll(async () => {
    ({ dataSource, dir } = await openTestDatabase());
    file = path.join(dir, 'laihua.sqlite');
    log = new SqliteDecisionLog(dataSource);
    // Live calls c1 ×5, c2 ×3, c3 ×1, and one that ended (not recovered).
    for (const [id, seq] of [...INTERLEAVED_LIVE_CALLS, ['e1', 1] as const]) await append(id, seq);
    await append('e1', 2, { status: 'completed', outcome: 'done', endedAt: '2026-11-23T08:01:00.000Z' });
  });
  afterEach(() => {
    abandonRecoveryPrefetch();
    reads.length = 0;
  });
  afterAll(async () => {
    await Promise.all(threads.map((t) => t.terminate()));
    await dataSource.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the fingerprint moves with any new event, a call that ends, a destroyed key', async () => {
    const before = await fingerprint();
    expect(before).toMatch(/^\d+\|0\|11\|c1,c2,c3$/); // 11 events; c1, c2, c3 live
    expect(Number(before.split('|')[0])).toBeGreaterThan(0); // the migrations applied

    await append('c3', 2);
    expect(await fingerprint()).toMatch(/\|0\|12\|c1,c2,c3$/);
    await append('c4', 1);
    expect(await fingerprint()).toMatch(/\|0\|13\|c1,c2,c3,c4$/);
    await append('c4', 2, { status: 'abandoned', outcome: 'abandoned', endedAt: '2026-11-23T08:02:00.000Z' });
    expect(await fingerprint()).toMatch(/\|0\|14\|c1,c2,c3$/);
    await dataSource.query(`UPDATE call_keys SET key = NULL, erased_at = ? WHERE call_id = 'e1'`, ['2026-11-24T00:00:00.000Z']);
    expect(await fingerprint()).toMatch(/^\d+\|1\|14\|c1,c2,c3$/);
  });

  it('a read begun at start that still holds is the one recovery takes: every live call whole', async () => {
    prefetchRecoveryRead(file, realRead);
    const source = await recoveryReadOf(file, query, realRead);
    expect(source.read).toBe('begun at start');
    expect(begun()).toEqual([file]); // no second read
    const logs = await collect(source.chunks);
    // As the log reads them on its own connection (the thread's events cross without their sealed form, a symbol).
    const plain = (x: CallLog[]) => JSON.parse(JSON.stringify(x)) as unknown;
    expect(plain(logs)).toEqual(plain((await readActiveCallLogs(dataSource)).sort((a, b) => a.call.id.localeCompare(b.call.id))));
    expect(logs.map((l) => `${l.call.id}:${l.events.length}`)).toEqual(['c1:5', 'c2:3', 'c3:2']);
  });

  it('a live call that moved on between the start and recovery: the early read is dropped, and the log read again', async () => {
    prefetchRecoveryRead(file, realRead);
    await reads[0].began; // the early read has seen the log as it was: c2 at seq 3
    await append('c2', 4);
    const source = await recoveryReadOf(file, query, realRead);
    expect(source.read).toBe('again');
    expect(begun()).toEqual([file, file]);
    const c2 = (await collect(source.chunks)).find((l) => l.call.id === 'c2')!;
    expect(c2.events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });

  it('no early read (a new store), one of another file, or one that failed: recovery reads now', async () => {
    const none = await recoveryReadOf(file, query, realRead);
    expect(none.read).toBe('now');
    expect((await collect(none.chunks)).length).toBe(3);

    const other = path.join(dir, 'other.sqlite');
    fs.copyFileSync(file, other);
    prefetchRecoveryRead(other, realRead);
    const elsewhere = await recoveryReadOf(file, query, realRead);
    expect(elsewhere.read).toBe('again');
    expect((await collect(elsewhere.chunks)).length).toBe(3);

    const missing = path.join(dir, 'missing.sqlite');
    prefetchRecoveryRead(missing, realRead); // no file: nothing begun
    expect(begun()).toEqual([file, other, file]);

    const broken = path.join(dir, 'broken.sqlite');
    fs.writeFileSync(broken, 'not a database');
    prefetchRecoveryRead(broken, realRead);
    const failed = await recoveryReadOf(broken, query, realRead);
    expect(failed.read).toBe('again');
    await expect(collect(failed.chunks)).rejects.toThrow(/not a database|file is not a database/);
  });
});
