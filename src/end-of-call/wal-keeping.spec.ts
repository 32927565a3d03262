import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type InTurn, walKeeper } from './wal-keeping';

const MiB = 1024 * 1024;

/** A connection as the worker opens one: WAL, no automatic checkpoint. */
function open(file: string): Database.Database {
  const db = new Database(file, { timeout: 5_000 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 0');
  return db;
}

describe('walKeeper: the end-of-call worker keeps the write-ahead log bounded while the log is quiet', () => {
  let dir: string;
  let db: Database.Database;
  const walBytes = () => fs.statSync(`${db.name}-wal`).size;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wal-keeping-'));
    db = open(path.join(dir, 'laihua.sqlite'));
    db.exec('CREATE TABLE facts (id INTEGER PRIMARY KEY, call_id TEXT, body BLOB); CREATE INDEX idx_facts_call ON facts (call_id)');
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A batch as the worker writes one: a few calls' rows in one transaction. */
  const batch = (n: number) => {
    const stmt = db.prepare('INSERT INTO facts (call_id, body) VALUES (?, ?)');
    db.transaction(() => {
      for (let i = 0; i < 4; i++) stmt.run(`call-${n}-${i}`, Buffer.alloc(8192, (n + i) % 251));
    })();
  };
  /** Records what ran inside the turn, as the worker's turn does (log-pressure.ts). */
  const turns = () => {
    const log: string[] = [];
    let inside = false;
    const inTurn: InTurn = async (write) => {
      inside = true;
      log.push('turn');
      try {
        return await write();
      } finally {
        inside = false;
      }
    };
    return { log, inTurn, inside: () => inside };
  };

  it('without it the log grows with every batch; with it the log stays near its limit and every row is kept', async () => {
    for (let n = 0; n < 200; n++) batch(n);
    expect(walBytes()).toBeGreaterThan(6 * MiB); // 200 batches of 32 KiB of rows: ≥ 8 pages each, never reused

    db.pragma('wal_checkpoint(TRUNCATE)');
    const { log, inTurn } = turns();
    const keep = walKeeper(db, 1 * MiB, inTurn);
    let largest = 0;
    const restarts: boolean[] = [];
    for (let n = 200; n < 400; n++) {
      batch(n);
      const r = await keep();
      if (r) restarts.push(r.restarted);
      largest = Math.max(largest, walBytes());
    }
    expect(restarts.length).toBeGreaterThanOrEqual(3);
    expect(restarts.every(Boolean)).toBe(true);
    expect(log).toHaveLength(restarts.length); // each restart ran in a write turn
    // Looked at after every batch: never more than the limit plus one batch's pages.
    expect(largest).toBeLessThan(1 * MiB + 64 * 1024);
    expect(db.prepare('SELECT count(*) AS n FROM facts').get()).toEqual({ n: 1600 });
  });

  it('below the limit it neither copies nor takes a turn', async () => {
    const { log, inTurn } = turns();
    const keep = walKeeper(db, 64 * MiB, inTurn);
    for (let n = 0; n < 20; n++) {
      batch(n);
      expect(await keep()).toBeNull();
    }
    expect(log).toEqual([]);
  });

  it('a reader still on the log postpones the restart to a later batch, without an error; the restart runs inside the turn', async () => {
    const reader = open(db.name);
    try {
      const { inTurn, inside } = turns();
      let ranInside = false;
      const keep = walKeeper(db, 256 * 1024, (write) =>
        inTurn(async () => {
          ranInside = inside();
          return write();
        }),
      );
      for (let n = 0; n < 20; n++) batch(n);
      // A read transaction that has seen the log's frames holds them.
      reader.exec('BEGIN');
      reader.prepare('SELECT count(*) FROM facts').get();
      batch(20);
      const held = await keep();
      expect(held).toMatchObject({ restarted: false });
      expect(held!.error).toBeUndefined();
      expect(ranInside).toBe(true);
      reader.exec('COMMIT');
      batch(21);
      expect(await keep()).toMatchObject({ restarted: true });
      batch(22);
      expect(walBytes()).toBeLessThan(256 * 1024 + 64 * 1024);
    } finally {
      reader.close();
    }
  });
});
