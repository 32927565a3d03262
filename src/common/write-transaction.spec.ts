import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import { DataSource } from 'typeorm';
import { openTestDatabase } from '../testing/sqlite-data-source';
import { writeTransaction } from './write-transaction';

/** A second connection to the same file, as the decision log's writer thread has. */
function otherConnection(dataSource: DataSource) {
  const db = new Database(dataSource.options.database as string, { timeout: 0 });
  return { db, write: (v: string) => db.prepare('INSERT INTO probe (v) VALUES (?)').run(v) };
}

describe('writeTransaction on SQLite (the log commits on its own connection)', () => {
  let dataSource: DataSource;
  let dir: string;

  beforeEach(async () => {
    ({ dataSource, dir } = await openTestDatabase());
    await dataSource.query('CREATE TABLE probe (v TEXT)');
  });
  afterEach(async () => {
    await dataSource.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a read-then-write transaction survives a commit by another connection after its first read', async () => {
    const other = otherConnection(dataSource);
    const plain = dataSource.transaction(async (m) => {
      await m.query('SELECT COUNT(*) FROM probe');
      other.write('between'); // commits: the plain transaction's snapshot is now stale
      await m.query("INSERT INTO probe (v) VALUES ('plain')");
    });
    // What writeTransaction exists to prevent.
    await expect(plain).rejects.toMatchObject({ message: expect.stringMatching(/SQLITE_BUSY|database is locked/) });

    await writeTransaction(dataSource, async (m) => {
      await m.query('SELECT COUNT(*) FROM probe');
      // Held from the start: the other connection cannot commit in between, so the snapshot stays good.
      expect(() => other.write('refused')).toThrow(/database is locked/);
      await m.query("INSERT INTO probe (v) VALUES ('immediate')");
    });
    expect((await dataSource.query('SELECT v FROM probe ORDER BY rowid')).map((r: { v: string }) => r.v)).toEqual(['between', 'immediate']);
    other.db.close();
  });

  it('rolls back on error and leaves the connection usable; nests inside an open transaction', async () => {
    await expect(
      writeTransaction(dataSource, async (m) => {
        await m.query("INSERT INTO probe (v) VALUES ('gone')");
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await dataSource.transaction(async (outer) => {
      await outer.query("INSERT INTO probe (v) VALUES ('outer')");
      await writeTransaction(dataSource, async (m) => m.query("INSERT INTO probe (v) VALUES ('nested')"));
    });
    await writeTransaction(dataSource, async (m) => m.query("INSERT INTO probe (v) VALUES ('after')"));
    expect((await dataSource.query('SELECT v FROM probe ORDER BY rowid')).map((r: { v: string }) => r.v)).toEqual(['outer', 'nested', 'after']);
  });
});
