import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type WalCopy, WalCopier } from './wal-copier';
import { WalRestarter } from '../common/wal-restarter';

const MiB = 1024 * 1024;

describe('WalCopier: the write-ahead log copied on a thread of its own before the writer restarts it', () => {
  let dir: string;
  let file: string;
  let db: Database.Database;
  let copier: WalCopier | undefined;
  const copies: WalCopy[] = [];
  let copied: () => void = () => undefined;
  const nextCopy = () => new Promise<void>((resolve) => (copied = resolve));

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wal-copier-'));
    file = path.join(dir, 'log.sqlite');
    // As the log's writer sets its connection up: WAL, no automatic checkpoint; timeout 0 so that
    // a commit the copy blocked would fail at once instead of waiting it out.
    db = new Database(file, { timeout: 0 });
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE events (id INTEGER PRIMARY KEY, body BLOB)');
    copies.length = 0;
    copier = new WalCopier(file, 'FULL', (copy) => {
      copies.push(copy);
      copied();
    });
  });
  afterEach(async () => {
    await copier?.close();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const commitMany = (n: number) => {
    const insert = db.prepare('INSERT INTO events (body) VALUES (?)');
    for (let i = 0; i < n; i++) insert.run(Buffer.alloc(2048, i % 251));
  };
  const dbBytes = () => fs.statSync(file).size;
  const walBytes = () => fs.statSync(`${file}-wal`).size;

  it('copies every committed frame into the database file, so the restart after it has nothing left to copy and starts the log over', async () => {
    commitMany(2000); // ~4 MiB, all of it in the log only
    expect(dbBytes()).toBeLessThan(64 * 1024);
    const done = nextCopy();
    expect(copier!.copy()).toBe(true);
    await done;

    expect(copies).toHaveLength(1);
    expect(copies[0].error).toBeUndefined();
    expect(copies[0].frames).toBeGreaterThan(2000);
    expect(copies[0].copied).toBe(copies[0].frames);
    expect(dbBytes()).toBeGreaterThan(4 * MiB); // the pages are in the database file now

    const restart = new WalRestarter(db, 1 * MiB).restart();
    expect(restart).toMatchObject({ restarted: true });
    commitMany(10);
    expect(walBytes()).toBeLessThanOrEqual(1 * MiB); // started over from its beginning, cut back to the limit
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 2010 });
  });

  it('never holds the writer: commits made while a copy is under way go through at once (busy timeout 0)', async () => {
    commitMany(6000); // ~12 MiB to copy: the commits below overlap the copy
    let finished = false;
    const done = nextCopy().then(() => (finished = true));
    copier!.copy();
    let during = 0;
    while (!finished) {
      commitMany(1); // would throw SQLITE_BUSY, were the copy taking the write lock
      during++;
      await new Promise((r) => setImmediate(r));
    }
    await done;
    expect(during).toBeGreaterThan(5); // the copy went on across these commits
    expect(copies[0].copied).toBeGreaterThan(6000);
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 6000 + during });
  });

  it('asked again while a copy is under way, starts no second one', async () => {
    commitMany(3000);
    const done = nextCopy();
    expect(copier!.copy()).toBe(true);
    expect(copier!.copy()).toBe(true);
    await done;
    await new Promise((r) => setTimeout(r, 200));
    expect(copies).toHaveLength(1);
  });

  it('with a copy overdue, says so (the writer restarts the log itself); the copy still ends, and the next one starts', async () => {
    await copier!.close();
    copier = new WalCopier(file, 'FULL', (copy) => (copies.push(copy), copied()), 1);
    db.transaction(() => commitMany(20000))(); // ~40 MiB: far longer to copy than the 1 ms allowed
    const done = nextCopy();
    expect(copier.copy()).toBe(true);
    // Past the 1 ms allowed without yielding: the copy's answer cannot be taken in meanwhile (a timer
    // instead lets it in whenever this thread stalls longer than the copying thread takes to copy).
    for (const t0 = performance.now(); performance.now() - t0 < 5;);
    expect(copies).toHaveLength(0); // still copying…
    expect(copier.copy()).toBe(false); // …and overdue
    await done;
    expect(copies[0].copied).toBe(copies[0].frames);
    expect(copier.copy()).toBe(true); // a new copy starts once the last one answered
  });

  it('with its thread gone, says so: the writer then restarts the log itself', async () => {
    await copier!.close();
    expect(copier!.copy()).toBe(false);
    copier = undefined;
  });
});
