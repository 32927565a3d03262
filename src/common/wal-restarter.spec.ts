import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WalRestarter } from './wal-restarter';

const MiB = 1024 * 1024;

/** A database as the server sets it up: WAL, no automatic checkpoint, a busy timeout. */
function open(file: string): Database.Database {
  const db = new Database(file, { timeout: 30_000 });
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  return db;
}

describe('WalRestarter: the write-ahead log stays bounded under commits that never pause', () => {
  let dir: string;
  let db: Database.Database;
  const walBytes = () => fs.statSync(`${db.name}-wal`).size;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wal-restart-'));
    db = open(path.join(dir, 'log.sqlite'));
    db.exec('CREATE TABLE events (id INTEGER PRIMARY KEY, body BLOB)');
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const insert = () => db.prepare('INSERT INTO events (body) VALUES (?)');
  const commitMany = (n: number, after: () => void) => {
    const stmt = insert();
    for (let i = 0; i < n; i++) {
      stmt.run(Buffer.alloc(2048, i % 251));
      after();
    }
  };

  it('without it the log only grows; with it the log is started over past the limit and cut back to it, every row kept', () => {
    commitMany(3000, () => undefined);
    const unbounded = walBytes();
    expect(unbounded).toBeGreaterThan(6 * MiB); // 3,000 commits of a 2 KiB row: ≥ 2 pages each

    db.pragma('wal_checkpoint(TRUNCATE)');
    const restarter = new WalRestarter(db, 1 * MiB);
    const restarts: boolean[] = [];
    let largest = 0;
    commitMany(3000, () => {
      if (restarter.due()) restarts.push(restarter.restart().restarted);
      largest = Math.max(largest, walBytes());
    });
    expect(restarts.length).toBeGreaterThan(3);
    expect(restarts.every(Boolean)).toBe(true);
    // Looked at every 16 commits: the log never holds much more than the limit plus 16 commits' pages.
    expect(largest).toBeLessThan(1 * MiB + 16 * 3 * 4096 + 64 * 1024);
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 6000 });
    // The connection's own busy timeout is back after each restart.
    expect(db.pragma('busy_timeout', { simple: true })).toBe(30_000);
  });

  it('a reader still on the log: the restart gives up after a short wait (busy), nothing fails, and the next one succeeds', () => {
    const restarter = new WalRestarter(db, 64 * 1024);
    commitMany(200, () => undefined);
    const reader = open(db.name);
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM events').get(); // holds its snapshot of the log
    commitMany(50, () => undefined);
    const held = restarter.restart();
    expect(held.restarted).toBe(false);
    expect(held.ms).toBeLessThan(5_000); // waited its short timeout, not the connection's 30 s
    expect(held.frames).toBeGreaterThan(0);
    reader.exec('COMMIT');
    reader.close();
    const freed = restarter.restart();
    expect(freed.restarted).toBe(true);
    insert().run(Buffer.alloc(10));
    expect(walBytes()).toBeLessThanOrEqual(64 * 1024);
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 251 });
  });

  it('a checkpoint that fails (here: a connection that may not write) is reported, never thrown: the log goes on', () => {
    commitMany(100, () => undefined);
    const readOnly = new Database(db.name, { readonly: true, timeout: 1_000 });
    const failed = new WalRestarter(readOnly, 1).restart();
    expect(failed).toMatchObject({ restarted: false, error: expect.stringMatching(/^SQLITE_/) });
    expect(readOnly.pragma('busy_timeout', { simple: true })).toBe(1_000);
    readOnly.close();
    commitMany(1, () => undefined);
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 101 });
  });

  it('an in-memory database (unit tests) has no log: never due', () => {
    const memory = new Database(':memory:');
    const restarter = new WalRestarter(memory, 1);
    for (let i = 0; i < 64; i++) expect(restarter.due()).toBe(false);
    memory.close();
  });
});
