import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { tsWorker } from '../testing/ts-worker';
import { AppError } from './app-error';
import { SqliteReader, type SqliteReaderOptions } from './sqlite-reader';
import type { ReaderWorkerData } from './sqlite-reader.worker';

const WORKER_TS = path.join(__dirname, 'sqlite-reader.worker.ts');
const spawn = (d: ReaderWorkerData): Worker => tsWorker(WORKER_TS, d);

describe('SqliteReader: long reads on a thread of their own', () => {
  let dir: string;
  let file: string;
  let writer: Database.Database;
  const readers: SqliteReader[] = [];
  const reader = (options: SqliteReaderOptions = { spawn }) => {
    const r = new SqliteReader(file, options);
    readers.push(r);
    return r;
  };

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'laihua-reader-'));
    file = path.join(dir, 'db.sqlite');
    writer = new Database(file);
    writer.pragma('journal_mode = WAL');
    writer.exec(`CREATE TABLE facts (id INTEGER PRIMARY KEY, flow TEXT NOT NULL, ms INTEGER NOT NULL)`);
    const insert = writer.prepare(`INSERT INTO facts (flow, ms) VALUES (?, ?)`);
    writer.transaction(() => {
      for (let i = 0; i < 1000; i++) insert.run(i % 3 ? 'plan-change' : 'suspend-service', i);
    })();
  });

  afterAll(async () => {
    await Promise.all(readers.map((r) => r.close()));
    writer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers rows and single rows as the main connection would, parameters bound', async () => {
    const r = reader();
    const sql = `SELECT flow, COUNT(*) AS n, SUM(ms) AS total FROM facts WHERE ms >= ? GROUP BY flow ORDER BY flow`;
    expect(await r.all(sql, [500])).toEqual(writer.prepare(sql).all(500));
    expect(await r.get(`SELECT COUNT(*) AS n FROM facts WHERE flow = ?`, ['suspend-service'])).toEqual({ n: 334 });
    expect(await r.get(`SELECT id FROM facts WHERE id = ?`, [-1])).toBeUndefined();
  });

  it('sees what the writer committed after it started', async () => {
    const r = reader();
    expect(await r.get(`SELECT COUNT(*) AS n FROM facts`)).toEqual({ n: 1000 });
    writer.prepare(`INSERT INTO facts (flow, ms) VALUES ('bill-inquiry', 1)`).run();
    expect(await r.get(`SELECT COUNT(*) AS n FROM facts WHERE flow = 'bill-inquiry'`)).toEqual({ n: 1 });
  });

  it('refuses writes: its connection is read-only and it runs no transactions', async () => {
    const r = reader();
    const count = () => writer.prepare(`SELECT COUNT(*) AS n FROM facts`).get();
    const before = count();
    await expect(r.all(`INSERT INTO facts (flow, ms) VALUES ('x', 0) RETURNING id`)).rejects.toMatchObject({ code: expect.stringMatching(/^SQLITE_READONLY/) });
    await expect(r.transaction(function* () {})).rejects.toBeInstanceOf(AppError);
    expect(count()).toEqual(before);
  });

  it("passes the driver's error for a bad statement, and the thread goes on answering", async () => {
    const r = reader();
    await expect(r.all(`SELECT nope FROM facts`)).rejects.toMatchObject({ message: expect.stringContaining('no such column') });
    const sql = `SELECT COUNT(*) AS n FROM facts WHERE ms < ?`;
    expect(await r.get(sql, [10])).toEqual(writer.prepare(sql).get(10));
  });

  it('a thread that dies fails its reads with a typed error; the next read gets a new thread', async () => {
    let spawned = 0;
    const r = reader({ spawn: (d) => (spawned++ ? spawn(d) : new Worker('process.exit(3)', { eval: true })) });
    await expect(r.all(`SELECT 1 AS one`)).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('exited (3)') });
    expect(await r.all(`SELECT 1 AS one`)).toEqual([{ one: 1 }]);
  });

  it('gives up on a read past the timeout with a typed error instead of hanging', async () => {
    const r = reader({ spawn, timeoutMs: 1 });
    const slow = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000) SELECT COUNT(*) AS c FROM n`;
    await expect(r.get(slow)).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('longer than 1 ms') });
  });

  it('refuses reads once closed', async () => {
    const r = reader();
    await r.close();
    await expect(r.get(`SELECT 1`)).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
