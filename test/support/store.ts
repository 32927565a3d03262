/**
 * The server's store read (or tampered with) beside it, whichever it is: its SQLite file in
 * DATA_DIR (WAL readers do not disturb the writer), or — in the e2e-pg project — its own PostgreSQL
 * database (test/support/pg-database.ts). Statements use `?` placeholders on both.
 */
import Database from 'better-sqlite3';
import * as path from 'node:path';
import { Client } from 'pg';
import { installPgTypeParsers, positional } from '../../src/common/sql-dialect';
import { pgMode, serverDatabase } from './pg-database';

export interface StoreStatement {
  sql: string;
  params?: unknown[];
}

async function onPg<T>(dataDir: string, fn: (c: Client) => Promise<T>): Promise<T> {
  installPgTypeParsers();
  const client = new Client({ connectionString: await serverDatabase(dataDir) });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const sqliteFile = (dataDir: string) => path.join(dataDir, 'laihua.sqlite');

/** The rows of each query, all read in one transaction (one consistent snapshot of a running server's store). */
export async function storeSnapshot(dataDir: string, queries: StoreStatement[]): Promise<Record<string, unknown>[][]> {
  if (pgMode()) {
    return onPg(dataDir, async (c) => {
      await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const out: Record<string, unknown>[][] = [];
      for (const q of queries) out.push((await c.query(positional(q.sql), q.params ?? [])).rows);
      await c.query('COMMIT');
      return out;
    });
  }
  const db = new Database(sqliteFile(dataDir), { readonly: true, fileMustExist: true });
  try {
    return db.transaction(() => queries.map((q) => db.prepare(q.sql).all(...(q.params ?? [])) as Record<string, unknown>[]))();
  } finally {
    db.close();
  }
}

export async function storeRows<T>(dataDir: string, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await storeSnapshot(dataDir, [{ sql, params }]))[0] as T[];
}

/** Runs a write; returns the number of rows it changed. */
export async function storeRun(dataDir: string, sql: string, params: unknown[] = []): Promise<number> {
  if (pgMode()) return onPg(dataDir, async (c) => (await c.query(positional(sql), params)).rowCount ?? 0);
  const db = new Database(sqliteFile(dataDir), { timeout: 5000, fileMustExist: true });
  try {
    return db.prepare(sql).run(...params).changes;
  } finally {
    db.close();
  }
}

/**
 * A write to call_events the way a tamperer with the database would do it: the log's guard triggers
 * lifted (SQLite: dropped and re-created; PostgreSQL: disabled and enabled again) in one transaction.
 */
export async function tamperWithLog(dataDir: string, sql: string, params: unknown[] = []): Promise<number> {
  if (pgMode()) {
    return onPg(dataDir, async (c) => {
      await c.query('BEGIN');
      await c.query('ALTER TABLE call_events DISABLE TRIGGER USER');
      const { rowCount } = await c.query(positional(sql), params);
      await c.query('ALTER TABLE call_events ENABLE TRIGGER USER');
      await c.query('COMMIT');
      return rowCount ?? 0;
    });
  }
  const db = new Database(sqliteFile(dataDir), { timeout: 5000, fileMustExist: true });
  try {
    const triggers = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'call_events'`).all() as {
      name: string;
      sql: string;
    }[];
    return db.transaction(() => {
      for (const t of triggers) db.exec(`DROP TRIGGER "${t.name.replace(/"/g, '""')}"`);
      const changes = db.prepare(sql).run(...params).changes;
      for (const t of triggers) db.exec(t.sql);
      return changes;
    })();
  } finally {
    db.close();
  }
}
