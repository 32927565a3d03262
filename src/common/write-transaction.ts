import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/**
 * A TypeORM transaction that reads and then writes. On SQLite it takes the write lock at its start
 * (BEGIN IMMEDIATE): the decision log commits on its own connection (a writer thread), and a
 * transaction begun as a reader could not become a writer once the log had committed after its
 * first read (SQLITE_BUSY_SNAPSHOT). Inside a transaction already open on the shared connection it
 * nests as TypeORM does (a savepoint). Elsewhere it is TypeORM's own transaction.
 */
export async function writeTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  if (dataSource.options.type !== 'better-sqlite3') return dataSource.transaction(work);
  // better-sqlite3 has one connection and TypeORM one query runner for it.
  const runner = dataSource.createQueryRunner() as QueryRunner & { isTransactionActive: boolean; transactionDepth: number };
  if (runner.isTransactionActive) return dataSource.transaction(work);
  await runner.query('BEGIN IMMEDIATE');
  runner.isTransactionActive = true;
  runner.transactionDepth = 1;
  try {
    const result = await work(runner.manager);
    await runner.query('COMMIT');
    return result;
  } catch (e) {
    await runner.query('ROLLBACK');
    throw e;
  } finally {
    runner.isTransactionActive = false;
    runner.transactionDepth = 0;
  }
}
