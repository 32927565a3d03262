/**
 * PostgreSQL mode of the end-to-end suites (jest project e2e-pg): the project's globalSetup starts a
 * throwaway cluster and sets LAIHUA_TEST_PG_URL; every server then gets its own database, named
 * after its DATA_DIR so that a restart on the same DATA_DIR finds the same database again.
 */
import * as path from 'node:path';
import { Client } from 'pg';

export const PG_URL_ENV = 'LAIHUA_TEST_PG_URL';

/** True in the e2e-pg project (its `globals`), where the cluster's URL is set. */
export function pgMode(): boolean {
  if ((globalThis as { LAIHUA_STORE?: string }).LAIHUA_STORE !== 'postgres') return false;
  if (!process.env[PG_URL_ENV]) throw new Error(`e2e-pg: ${PG_URL_ENV} is not set (the project's globalSetup starts the cluster)`);
  return true;
}

function databaseName(dataDir: string): string {
  return `laihua_${path
    .basename(dataDir)
    .replace(/[^a-zA-Z0-9]/g, '_')
    .toLowerCase()}`.slice(0, 63);
}

function urlOf(name: string): string {
  const u = new URL(process.env[PG_URL_ENV]!);
  u.pathname = `/${name}`;
  return u.toString();
}

async function onCluster<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: process.env[PG_URL_ENV] });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The DATABASE_URL of the server on `dataDir`, creating its database the first time. */
export async function serverDatabase(dataDir: string): Promise<string> {
  const name = databaseName(dataDir);
  await onCluster(async (c) => {
    const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await c.query(`CREATE DATABASE "${name}"`);
  });
  return urlOf(name);
}

/** Drops the server's database (its data directory is gone too). */
export async function dropServerDatabase(dataDir: string): Promise<void> {
  const name = databaseName(dataDir);
  await onCluster((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** A query on the server's database (tests that look at the stored rows directly). */
export async function queryServerDatabase<T>(dataDir: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: urlOf(databaseName(dataDir)) });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}
