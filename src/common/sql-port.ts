import type { Database, Statement } from 'better-sqlite3';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { sqliteHandle } from './sqlite-handle';
import { dialectOf, positional, type SqlDialect } from './sql-dialect';
import { checkOut } from './pg-checkout';

/** One statement of a transaction script: `row` wants its first row back (or undefined), `rows` all of them, `none` nothing. */
export interface SqlStep {
  sql: string;
  params: unknown[];
  returns: 'row' | 'rows' | 'none';
}
/**
 * A transaction written once for both stores: a generator that yields its statements (`yield*
 * sqlGet(…)`, `yield* sqlRun(…)`) and gets each answer back. SQLite drives it synchronously inside
 * one better-sqlite3 transaction (nothing interleaves); PostgreSQL drives it statement by statement
 * inside BEGIN … COMMIT on one pooled connection.
 */
export type SqlScript<T> = Generator<SqlStep, T, unknown>;

export function* sqlGet<T>(sql: string, params: unknown[] = []): Generator<SqlStep, T | undefined, unknown> {
  return (yield { sql, params, returns: 'row' }) as T | undefined;
}

export function* sqlAll<T>(sql: string, params: unknown[] = []): Generator<SqlStep, T[], unknown> {
  return (yield { sql, params, returns: 'rows' }) as T[];
}

export function* sqlRun(sql: string, params: unknown[] = []): Generator<SqlStep, void, unknown> {
  yield { sql, params, returns: 'none' };
}

/** Raw SQL on the configured store, `?` placeholders on both (numbered for PostgreSQL here). */
export interface SqlPort {
  readonly dialect: SqlDialect;
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  get<T>(sql: string, params?: unknown[]): Promise<T | undefined>;
  transaction<T>(script: () => SqlScript<T>): Promise<T>;
}

class SqlitePort implements SqlPort {
  readonly dialect = 'sqlite' as const;
  private readonly statements = new Map<string, Statement>();
  constructor(private readonly db: Database) {}

  private prepared(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) this.statements.set(sql, (stmt = this.db.prepare(sql)));
    return stmt;
  }

  async all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.prepared(sql).all(...params) as T[];
  }

  async get<T>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    return this.prepared(sql).get(...params) as T | undefined;
  }

  /**
   * One IMMEDIATE transaction (every script writes: take the write lock first, waiting for another
   * writer like any write). On a connection TypeORM shares, a transaction it left open across an
   * await is waited out rather than joined.
   */
  async transaction<T>(script: () => SqlScript<T>): Promise<T> {
    while (this.db.inTransaction) await new Promise((r) => setTimeout(r, 5));
    return this.db
      .transaction(() => {
        const gen = script();
        let step = gen.next();
        while (!step.done) {
          const { sql, params, returns } = step.value;
          const stmt = this.prepared(sql);
          step = gen.next(returns === 'row' ? stmt.get(...params) : returns === 'rows' ? stmt.all(...params) : stmt.run(...params));
        }
        return step.value;
      })
      .immediate();
  }
}

class PostgresPort implements SqlPort {
  readonly dialect = 'postgres' as const;
  private readonly texts = new Map<string, string>();
  constructor(private readonly poolOf: () => Pool) {}

  private get pool(): Pool {
    return this.poolOf();
  }

  private text(sql: string): string {
    let text = this.texts.get(sql);
    if (text === undefined) this.texts.set(sql, (text = positional(sql)));
    return text;
  }

  async all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(this.text(sql), params)).rows as T[];
  }

  async get<T>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async transaction<T>(script: () => SqlScript<T>): Promise<T> {
    const client = await checkOut(this.pool);
    try {
      await client.query('BEGIN');
      const gen = script();
      let step = gen.next();
      while (!step.done) {
        const { sql, params, returns } = step.value;
        const { rows } = await client.query(this.text(sql), params);
        step = gen.next(returns === 'row' ? rows[0] : returns === 'rows' ? rows : undefined);
      }
      await client.query('COMMIT');
      return step.value;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }
}

const ports = new WeakMap<DataSource, SqlPort>();

/** The raw-SQL port of a DataSource (one per DataSource, statements prepared once). */
export function sqlPort(dataSource: DataSource): SqlPort {
  let port = ports.get(dataSource);
  if (!port) {
    const pool = () => (dataSource.driver as unknown as { master: Pool }).master;
    port = dialectOf(dataSource) === 'postgres' ? new PostgresPort(pool) : new SqlitePort(sqliteHandle(dataSource));
    ports.set(dataSource, port);
  }
  return port;
}

/** A port on a connection of its own (a worker thread's): a better-sqlite3 handle or a `pg` pool. */
export function ownSqlPort(connection: { sqlite: Database } | { postgres: Pool }): SqlPort {
  return 'sqlite' in connection ? new SqlitePort(connection.sqlite) : new PostgresPort(() => connection.postgres);
}
