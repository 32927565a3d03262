import { JwtService } from '@nestjs/jwt';
import * as fs from 'node:fs';
import type { DataSource } from 'typeorm';
import type { LoginResponse, LoginResult } from '../../protocol/auth';
import type { AppError } from '../common/app-error';
import { loadConfig } from '../config/app-config';
import { openTestDatabase } from '../testing/sqlite-data-source';
import { AuthService } from './auth.service';
import { hashPassword } from './password';
import { UserEntity } from './user.entity';

const SECRET = 'k'.repeat(40);

/** A login that gave a token (not `mustChangePassword`). */
function signedIn(result: LoginResult): LoginResponse {
  if (!('token' in result)) throw new Error(`expected a token, got ${JSON.stringify(result)}`);
  return result;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return (e as AppError).code;
  }
}

async function rejection(p: Promise<unknown>): Promise<{ code: string; details?: unknown }> {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a rejection');
}

describe('AuthService', () => {
  let dataSource: DataSource;
  let dir: string;
  let auth: AuthService;
  const jwt = new JwtService({
    secret: SECRET,
    signOptions: { expiresIn: 600, algorithm: 'HS256' },
    verifyOptions: { algorithms: ['HS256'] },
  });

  beforeAll(async () => {
    ({ dataSource, dir } = await openTestDatabase());
    // Cheapest scrypt the config allows; the throttle is exercised in its own spec.
    const config = loadConfig({ DATA_DIR: dir, JWT_SECRET: SECRET, PASSWORD_SCRYPT_LOG_N: '14', LOGIN_MAX_FAILURES_PER_USER: '2' });
    auth = new AuthService(dataSource, jwt, config);
    await auth.onModuleInit();
  });

  afterAll(async () => {
    auth.onApplicationShutdown();
    await dataSource.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const userRow = (username: string) => dataSource.getRepository(UserEntity).findOneByOrFail({ username });

  it('signs in with the demo password; the token verifies to the stored user', async () => {
    const { token, role } = signedIn(await auth.login('supervisor1', 'demo', '10.0.0.1'));
    expect(role).toBe('supervisor');
    const user = await userRow('supervisor1');
    expect(auth.verify(token)).toEqual({ sub: user.id, username: 'supervisor1', role: 'supervisor', epoch: 0 });
    expect(user.passwordHash).toMatch(/^\$scrypt\$ln=14,r=8,p=1\$/);
  });

  it('refuses tokens that are missing, expired, signed with another key, unsigned, or for an unknown user', async () => {
    const user = await userRow('agent1');
    const claims = { sub: user.id, username: 'agent1', role: 'agent' };
    const header = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    expect(codeOf(() => auth.verify(undefined))).toBe('UNAUTHORIZED');
    expect(codeOf(() => auth.verify(jwt.sign(claims, { expiresIn: -10 })))).toBe('UNAUTHORIZED');
    expect(codeOf(() => auth.verify(new JwtService({ secret: 'another-key-'.repeat(4) }).sign(claims)))).toBe('UNAUTHORIZED');
    expect(codeOf(() => auth.verify(`${header({ alg: 'none', typ: 'JWT' })}.${header(claims)}.`))).toBe('UNAUTHORIZED');
    expect(codeOf(() => auth.verify(jwt.sign({ ...claims, sub: '00000000-0000-4000-8000-000000000000' })))).toBe('UNAUTHORIZED');
    expect(codeOf(() => auth.verify(jwt.sign({ ...claims, role: 'admin' })))).toBe('UNAUTHORIZED');
    expect(codeOf(() => auth.verify(jwt.sign(claims)))).toBeUndefined();
  });

  it('a token stops working when its user is re-roled or deleted', async () => {
    const { token } = signedIn(await auth.login('agent2', 'demo', '10.0.0.1'));
    expect(auth.verify(token).role).toBe('agent');
    const repo = dataSource.getRepository(UserEntity);
    await repo.update({ username: 'agent2' }, { role: 'qa' });
    // A change by hand is seen at the directory's next refresh (every second; the triggers move its version).
    await auth.refreshDirectory();
    expect(codeOf(() => auth.verify(token))).toBe('UNAUTHORIZED');
    await repo.delete({ username: 'agent2' });
    // A change by hand is seen at the directory's next refresh (every second; the triggers move its version).
    await auth.refreshDirectory();
    expect(codeOf(() => auth.verify(token))).toBe('UNAUTHORIZED');
  });

  it('logging out ends every token of the user, however issued, and only theirs; signing in again gives one that holds', async () => {
    const first = signedIn(await auth.login('supervisor2', 'demo', '10.0.0.1')).token;
    const second = signedIn(await auth.login('supervisor2', 'demo', '10.0.0.1')).token;
    const other = signedIn(await auth.login('qa1', 'demo', '10.0.0.1')).token;
    const user = await userRow('supervisor2');
    // A token issued before logging out existed carries no epoch: it counts as 0.
    const legacy = jwt.sign({ sub: user.id, username: 'supervisor2', role: 'supervisor' });
    const session = auth.verify(first);
    expect(auth.stillHolds(session)).toBe(true);

    await auth.logout(session);
    await auth.reloadUser(user.id);
    for (const token of [first, second, legacy]) expect(codeOf(() => auth.verify(token))).toBe('UNAUTHORIZED');
    expect(auth.stillHolds(session)).toBe(false);
    expect(auth.verify(other).username).toBe('qa1');
    // Logging out again with the old session moves nothing: the new token holds.
    const next = signedIn(await auth.login('supervisor2', 'demo', '10.0.0.1')).token;
    expect(auth.verify(next)).toMatchObject({ username: 'supervisor2', epoch: 1 });
    await auth.logout(session);
    await auth.reloadUser(user.id);
    expect(auth.verify(next).epoch).toBe(1);
    // A token naming an epoch the user never had, or not a number, is refused.
    expect(codeOf(() => auth.verify(jwt.sign({ sub: user.id, username: 'supervisor2', role: 'supervisor', epoch: 7 })))).toBe('UNAUTHORIZED');
    expect(codeOf(() => auth.verify(jwt.sign({ sub: user.id, username: 'supervisor2', role: 'supervisor', epoch: '1' })))).toBe('UNAUTHORIZED');
  });

  it('answers an unknown user and a wrong password alike, and throttles after the configured failures', async () => {
    const unknown = await rejection(auth.login('nobody', 'demo', '10.0.0.2'));
    const wrong = await rejection(auth.login('qa1', 'wrong', '10.0.0.2'));
    expect(unknown).toEqual(wrong);
    expect(wrong.code).toBe('UNAUTHORIZED');
    await rejection(auth.login('qa1', 'wrong', '10.0.0.3'));
    const locked = await rejection(auth.login('qa1', 'demo', '10.0.0.4'));
    expect(locked.code).toBe('TOO_MANY_ATTEMPTS');
    expect(locked.details).toEqual({ retryAfterSeconds: expect.any(Number) });
  });

  it('upgrades a weaker stored hash at the next successful login', async () => {
    const weak = await hashPassword('demo', { logN: 10, r: 8, p: 1 });
    await dataSource.getRepository(UserEntity).update({ username: 'agent1' }, { passwordHash: weak });
    await auth.login('agent1', 'demo', '10.0.0.5');
    expect((await userRow('agent1')).passwordHash).toMatch(/^\$scrypt\$ln=14,r=8,p=1\$/);
    expect(signedIn(await auth.login('agent1', 'demo', '10.0.0.5')).role).toBe('agent');
  });

  it('a disabled user cannot sign in (the same answer as a wrong password) and their tokens stop working', async () => {
    const { token } = signedIn(await auth.login('supervisor2', 'demo', '10.0.0.6'));
    const repo = dataSource.getRepository(UserEntity);
    await repo.update({ username: 'supervisor2' }, { disabled: true });
    // A change by hand is seen at the directory's next refresh (every second; the triggers move its version).
    await auth.refreshDirectory();
    expect(codeOf(() => auth.verify(token))).toBe('UNAUTHORIZED');
    const refused = await rejection(auth.login('supervisor2', 'demo', '10.0.0.6'));
    expect(refused).toEqual(await rejection(auth.login('nobody', 'demo', '10.0.0.7')));
    await repo.update({ username: 'supervisor2' }, { disabled: false });
    await auth.refreshDirectory();
    expect(codeOf(() => auth.verify(token))).toBeUndefined();
  });

  it('after an admin reset: no token until a strong new password is chosen, then only the new one works', async () => {
    const repo = dataSource.getRepository(UserEntity);
    const { token: before } = signedIn(await auth.login('admin1', 'demo', '10.0.0.8'));
    await repo.update({ username: 'admin1' }, { passwordHash: await auth.hash('Reset-Pass-2026'), mustChangePassword: true });
    // A change by hand is seen at the directory's next refresh (every second; the triggers move its version).
    await auth.refreshDirectory();
    expect(codeOf(() => auth.verify(before))).toBe('UNAUTHORIZED');
    expect(await auth.login('admin1', 'Reset-Pass-2026', '10.0.0.8')).toEqual({ mustChangePassword: true });
    const weak = await rejection(auth.login('admin1', 'Reset-Pass-2026', '10.0.0.8', 'short'));
    expect(weak).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'newPassword', problems: expect.arrayContaining([expect.stringMatching(/shorter/)]) }],
    });
    const same = await rejection(auth.login('admin1', 'Reset-Pass-2026', '10.0.0.8', 'Reset-Pass-2026'));
    expect(same).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'newPassword', problems: ['is the password that was reset'] }] });
    const { role } = signedIn(await auth.login('admin1', 'Reset-Pass-2026', '10.0.0.8', 'Mine-Now-4-Real'));
    expect(role).toBe('admin');
    expect((await userRow('admin1')).mustChangePassword).toBe(false);
    expect(signedIn(await auth.login('admin1', 'Mine-Now-4-Real', '10.0.0.8')).role).toBe('admin');
    expect((await rejection(auth.login('admin1', 'Reset-Pass-2026', '10.0.0.9'))).code).toBe('UNAUTHORIZED');
  });
});
