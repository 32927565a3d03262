import { Transform } from 'class-transformer';
import { IsInt, Matches, Max, Min, ValidateIf } from 'class-validator';
import * as os from 'node:os';

export const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

/**
 * The store and, on PostgreSQL, the nodes sharing it (AppConfig extends this: validated with it at boot).
 * SQLite ignores everything here but DATABASE_URL being empty.
 */
export class StoreSettings {
  /**
   * The store: empty (default) → SQLite in DATA_DIR; `postgres://user:password@host:port/database`
   * → everything in that PostgreSQL database (same entities and migrations).
   */
  @ValidateIf((c: StoreSettings) => c.DATABASE_URL !== '')
  @Matches(/^postgres(ql)?:\/\/[^\s/]*@?[^\s/]+(:\d+)?\/[^\s/?]+(\?\S*)?$/, {
    message: 'DATABASE_URL must be postgres://[user[:password]@]host[:port]/database (or empty for SQLite)',
  })
  DATABASE_URL = '';

  /** PostgreSQL: connections in TypeORM's pool (the decision log holds one more of its own). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  PG_POOL_SIZE = 10;

  /**
   * PostgreSQL, several nodes: how often a node looks for publications made on other nodes even
   * without a notification (one lost while its listening connection reconnected).
   */
  @Transform(toInt)
  @IsInt()
  @Min(500)
  @Max(3_600_000)
  FLOW_SYNC_POLL_MS = 5_000;

  /**
   * This process's name among the nodes on one PostgreSQL database (call leases, the live floor,
   * Prometheus' `node` label). Default: host name and process id — unique per running process.
   * Give each node a stable name in production so that dashboards keep their series.
   */
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, { message: 'NODE_ID must be 1–63 letters, digits, ".", "_" or "-", starting with a letter or digit' })
  NODE_ID = `${
    os
      .hostname()
      .replace(/[^A-Za-z0-9._-]/g, '-')
      .replace(/^[._-]+/, '')
      .slice(0, 40) || 'node'
  }-${process.pid}`;

  /**
   * PostgreSQL, several nodes: a node's lease on its live calls lasts this long after its last
   * heartbeat (database clock). A node silent longer is declared lost and its calls are taken
   * over by the others (src/cluster): failover takes at most about this plus CLUSTER_HEARTBEAT_MS.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  @Max(600_000)
  CLUSTER_LEASE_MS = 3_000;

  /** PostgreSQL, several nodes (at most half of CLUSTER_LEASE_MS): how often a node renews its lease, takes over lost nodes' calls and checks the calls it holds. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60_000)
  CLUSTER_HEARTBEAT_MS = 1_000;
}
