import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { ENTITIES, MIGRATIONS } from './schema';

/** A real, migrated SQLite database in a temp directory, for specs that need the real log. */
export async function openTestDatabase(dir = fs.mkdtempSync(path.join(os.tmpdir(), 'laihua-spec-'))): Promise<{ dataSource: DataSource; dir: string }> {
  const dataSource = new DataSource({
    type: 'better-sqlite3',
    database: path.join(dir, 'laihua.sqlite'),
    enableWAL: true,
    prepareDatabase: (db) => db.pragma('synchronous = FULL'),
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: true,
  });
  await dataSource.initialize();
  return { dataSource, dir };
}
