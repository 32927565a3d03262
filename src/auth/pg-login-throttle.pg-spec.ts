import type { DataSource } from 'typeorm';
import { openPgTestDatabase } from '../testing/pg-data-source';
import { PgLoginThrottle } from './pg-login-throttle';

const codeOf = async (p: Promise<unknown>) => p.then(() => undefined).catch((e: { code?: string }) => e.code);

describe('PgLoginThrottle (PostgreSQL): failures counted in the database, alike on every process', () => {
  let dataSource: DataSource;
  let now = 1_000_000;
  const settings = { maxFailuresPerUser: 3, maxFailuresPerIp: 5, windowMs: 60_000 };
  // Two "nodes" on one database.
  let a: PgLoginThrottle;
  let b: PgLoginThrottle;

  beforeAll(async () => {
    ({ dataSource } = await openPgTestDatabase());
    a = new PgLoginThrottle(dataSource, settings, () => now);
    b = new PgLoginThrottle(dataSource, settings, () => now);
  });
  afterAll(() => dataSource.destroy());

  it('a username reaching its limit across two processes is refused on both until the window closes', async () => {
    await a.failed('Agent1 ', '10.0.0.1');
    await b.failed('agent1', '10.0.0.2');
    expect(await codeOf(a.check('agent1', '10.0.0.3'))).toBeUndefined();
    await a.failed('AGENT1', '10.0.0.3');
    expect(await codeOf(a.check('agent1', '10.0.0.9'))).toBe('TOO_MANY_ATTEMPTS');
    expect(await codeOf(b.check(' agent1', '10.0.0.9'))).toBe('TOO_MANY_ATTEMPTS');
    expect(await codeOf(b.check('agent2', '10.0.0.9'))).toBeUndefined();
    now += settings.windowMs;
    expect(await codeOf(b.check('agent1', '10.0.0.9'))).toBeUndefined();
  });

  it('an address is counted across usernames and processes; a success clears only the username', async () => {
    for (let i = 0; i < settings.maxFailuresPerIp; i++) await (i % 2 ? a : b).failed(`guess-${i}`, '10.9.9.9');
    expect(await codeOf(a.check('supervisor1', '10.9.9.9'))).toBe('TOO_MANY_ATTEMPTS');
    expect(await codeOf(a.check('supervisor1', '10.9.9.8'))).toBeUndefined();
    await a.failed('qa1', '10.1.1.1');
    await a.failed('qa1', '10.1.1.2');
    await b.succeeded('QA1');
    await a.failed('qa1', '10.1.1.3');
    expect(await codeOf(b.check('qa1', '10.1.1.4'))).toBeUndefined();
    now += settings.windowMs;
    expect(await codeOf(a.check('supervisor1', '10.9.9.9'))).toBeUndefined();
  });
});
