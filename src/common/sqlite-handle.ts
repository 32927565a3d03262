import type { Database } from 'better-sqlite3';
import type { DataSource } from 'typeorm';

/** The synchronous better-sqlite3 handle behind TypeORM's connection, for the hot append path. */
export function sqliteHandle(dataSource: DataSource): Database {
  return (dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection;
}
