import { Pool } from 'pg';
import { createTestPgDatabase } from '../../src/testing/pg-data-source';
import { checkOut } from '../../src/common/pg-checkout';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('checkOut: a pooled connection held for a transaction (PostgreSQL)', () => {
  let pool: Pool;
  beforeAll(async () => {
    pool = new Pool({ connectionString: await createTestPgDatabase(), max: 2, options: '-c idle_in_transaction_session_timeout=200' });
    pool.on('error', () => undefined);
  });
  afterAll(() => pool.end());

  it('a session PostgreSQL ends while the client is out and idle in its transaction breaks that client, not the process; the pool goes on', async () => {
    const client = await checkOut(pool);
    await client.query('BEGIN');
    const [{ pid }] = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
    // The session idles in its transaction past the timeout: PostgreSQL ends it with a FATAL no query is waiting for.
    const deadline = Date.now() + 10_000;
    while ((await pool.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rowCount && Date.now() < deadline) await sleep(50);
    await sleep(100);
    await expect(client.query('SELECT 1')).rejects.toThrow();
    client.release();
    expect(client.listenerCount('error')).toBe(1); // the pool's own listener only
    expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    expect(pool.totalCount).toBeLessThanOrEqual(1);
  });
});
