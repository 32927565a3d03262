import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { installPgTypeParsers } from '../common/sql-dialect';
import { ENTITIES, MIGRATIONS } from './schema';

/** The throwaway cluster's superuser URL (jest project e2e-pg's globalSetup sets it). */
export function testPgUrl(): string {
  const url = process.env.LAIHUA_TEST_PG_URL;
  if (!url) throw new Error('LAIHUA_TEST_PG_URL is not set: PostgreSQL specs run in the e2e-pg project (npx jest --selectProjects e2e-pg)');
  return url;
}

/** A new, empty database on the test cluster; its URL. */
export async function createTestPgDatabase(): Promise<string> {
  const name = `laihua_spec_${randomUUID().replace(/-/g, '')}`;
  const admin = new Client({ connectionString: testPgUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const u = new URL(testPgUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

/** A real, migrated PostgreSQL database (a new one on the test cluster), for specs that need the real store. */
export async function openPgTestDatabase(opts: { migrationsRun?: boolean } = {}): Promise<{ dataSource: DataSource; url: string }> {
  installPgTypeParsers();
  const url = await createTestPgDatabase();
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    extra: { max: 4, options: '-c synchronous_commit=on' },
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: opts.migrationsRun ?? true,
  });
  await dataSource.initialize();
  return { dataSource, url };
}
