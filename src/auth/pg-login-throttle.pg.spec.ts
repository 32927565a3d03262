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
    expect(await codeOf(a.attempt('Agent1 ', '10.0.0.1'))).toBeUndefined();
    expect(await codeOf(b.attempt('agent1', '10.0.0.2'))).toBeUndefined();
    expect(await codeOf(a.attempt('AGENT1', '10.0.0.3'))).toBeUndefined();
    expect(await codeOf(a.attempt('agent1', '10.0.0.9'))).toBe('TOO_MANY_ATTEMPTS');
    expect(await codeOf(b.attempt(' agent1', '10.0.0.9'))).toBe('TOO_MANY_ATTEMPTS');
    expect(await codeOf(b.attempt('agent2', '10.0.0.9'))).toBeUndefined();
    now += settings.windowMs;
    expect(await codeOf(b.attempt('agent1', '10.0.0.9'))).toBeUndefined();
  });

  it('60 attempts at once on two processes: exactly the limit get through (counted before the password is checked)', async () => {
    const outcomes = await Promise.all(Array.from({ length: 60 }, (_, i) => codeOf((i % 2 ? a : b).attempt('burst', `10.7.${i}.1`))));
    expect(outcomes.filter((c) => c === undefined)).toHaveLength(settings.maxFailuresPerUser);
    expect(outcomes.filter((c) => c === 'TOO_MANY_ATTEMPTS')).toHaveLength(60 - settings.maxFailuresPerUser);
  });

  it('an address is counted across usernames and processes; a success clears the username and gives the address one back', async () => {
    for (let i = 0; i < settings.maxFailuresPerIp; i++) expect(await codeOf((i % 2 ? a : b).attempt(`guess-${i}`, '10.9.9.9'))).toBeUndefined();
    expect(await codeOf(a.attempt('supervisor1', '10.9.9.9'))).toBe('TOO_MANY_ATTEMPTS');
    expect(await codeOf(a.attempt('supervisor1', '10.9.9.8'))).toBeUndefined();
    await a.attempt('qa1', '10.1.1.1');
    await a.attempt('qa1', '10.1.1.2');
    await b.succeeded('QA1', '10.1.1.2');
    await a.attempt('qa1', '10.1.1.3');
    expect(await codeOf(b.attempt('qa1', '10.1.1.4'))).toBeUndefined();
    now += settings.windowMs;
    expect(await codeOf(a.attempt('supervisor1', '10.9.9.9'))).toBeUndefined();
  });
});
