import { types } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * The two stores speak almost the same SQL; where they differ, code asks which one it is talking to.
 * SQLite is the embedded default; PostgreSQL is chosen by DATABASE_URL (src/config).
 */
export type SqlDialect = 'sqlite' | 'postgres';

export function dialectOf(dataSource: DataSource): SqlDialect {
  return dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite';
}

/**
 * `?` placeholders → PostgreSQL's `$1, $2, …` (the statements that share one text across both
 * stores use `?`; none has a `?` inside a string literal).
 */
export function positional(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** The statement text for `dialect`: `?` placeholders are numbered on PostgreSQL. */
export function sqlFor(dialect: SqlDialect, sql: string): string {
  return dialect === 'postgres' ? positional(sql) : sql;
}

let parsersInstalled = false;
/**
 * COUNT/SUM and bigint columns come back from `pg` as strings (int8 and numeric can exceed 2^53);
 * every such value laihua stores — counts, milliseconds, sums of them — is far below 2^53, so they
 * are read as numbers, exactly as better-sqlite3 returns them.
 */
export function installPgTypeParsers(): void {
  if (parsersInstalled) return;
  parsersInstalled = true;
  types.setTypeParser(types.builtins.INT8, (v) => Number(v));
  types.setTypeParser(types.builtins.NUMERIC, (v) => Number(v));
}
