import * as fs from 'node:fs';
import * as path from 'node:path';
import { getMetadataArgsStorage, type DataSource } from 'typeorm';
import { openTestDatabase } from './sqlite-data-source';
import { ENTITIES } from './schema';

const SRC = path.resolve(__dirname, '..');
const sourceFiles = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : /\.ts$/.test(e.name) && !/\.spec\.ts$/.test(e.name) ? [path.join(dir, e.name)] : [],
    );

describe('the schema for DataSources built outside Nest', () => {
  it('lists every entity declared in src/ (the server registers them per feature module)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads every entity file to register its metadata
    for (const file of sourceFiles(SRC).filter((f) => /@Entity\(/.test(fs.readFileSync(f, 'utf8')))) require(file);
    const declared = new Set(getMetadataArgsStorage().tables.map((t) => t.target));
    expect([...declared].filter((e) => !ENTITIES.includes(e as never)).map((e) => (e as { name?: string }).name)).toEqual([]);
    expect(ENTITIES.filter((e) => !declared.has(e))).toEqual([]);
  });

  it('the migrations create every table and column the entities map', async () => {
    let dataSource: DataSource | undefined;
    try {
      ({ dataSource } = await openTestDatabase());
      const missing: string[] = [];
      for (const entity of dataSource.entityMetadatas) {
        const columns = new Set((await dataSource.query(`PRAGMA table_info("${entity.tableName}")`)).map((c: { name: string }) => c.name));
        if (!columns.size) missing.push(`table ${entity.tableName}`);
        else for (const c of entity.columns) if (!columns.has(c.databaseName)) missing.push(`${entity.tableName}.${c.databaseName}`);
      }
      expect(missing).toEqual([]);
    } finally {
      await dataSource?.destroy();
    }
  });
});
