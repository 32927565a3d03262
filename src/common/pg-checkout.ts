import type { Pool, PoolClient } from 'pg';

/**
 * A pooled PostgreSQL connection checked out for a transaction, listened to for errors while it is out.
 * pg-pool takes its own 'error' listener off a client it hands out, so an error that arrives while no
 * query is in flight — PostgreSQL ending a session left idle in a transaction
 * (`idle_in_transaction_session_timeout`, e.g. once the process wakes from a pause longer than
 * CLUSTER_LEASE_MS in the middle of a batch) — would be an unhandled 'error' event and end the process.
 * With this listener the client is only marked broken: its next query fails, and on release pg-pool
 * drops it rather than reusing it.
 */
export async function checkOut(pool: Pool): Promise<PoolClient> {
  const client = await pool.connect();
  const ignore = () => undefined;
  client.on('error', ignore);
  const release = client.release;
  client.release = (err?: Error | boolean) => {
    release.call(client, err);
    client.removeListener('error', ignore);
  };
  return client;
}
