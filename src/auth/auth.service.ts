import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { LoginResult } from '../../protocol/auth';
import { AppError } from '../common/app-error';
import { AppConfig } from '../config/app-config';
import { sqlPort } from '../common/sql-port';
import type { AuthUser } from './auth-user';
import { HashingGate } from './hashing-gate';
import { LoginThrottle } from './login-throttle';
import { type LoginThrottling, PgLoginThrottle } from './pg-login-throttle';
import { hashPassword, needsRehash, type ScryptParams, verifyPassword } from './password';
import { describeProblems, passwordProblems } from './password-strength';
import { type Role, ROLES, UserEntity } from './user.entity';

const DEMO_USERS: { username: string; role: Role }[] = [
  { username: 'agent1', role: 'agent' },
  { username: 'agent2', role: 'agent' },
  { username: 'supervisor1', role: 'supervisor' },
  // A second supervisor: publishing a flow version needs one to approve what another wrote.
  { username: 'supervisor2', role: 'supervisor' },
  { username: 'qa1', role: 'qa' },
  { username: 'admin1', role: 'admin' },
];

/** What a session needs of a user's row: checked at the handshake, on every frame and every request. */
interface DirectoryRow {
  username: string;
  role: string;
  disabled: boolean | number;
  must_change_password: boolean | number;
  session_epoch: number;
}

const INVALID_TOKEN = 'The token is invalid or expired';

/** How often the in-memory user directory (the sessions' synchronous lookup) looks for changes made outside `reloadUser`. */
const USER_DIRECTORY_REFRESH_MS = 1000;

@Injectable()
export class AuthService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(AuthService.name);
  private readonly scrypt: ScryptParams;
  private readonly throttle: LoginThrottling;
  /** Two hashes at a time (scrypt at the default cost ~0.1 s each), 64 more queued: a login burst waits here, bounded. */
  private readonly hashing = new HashingGate(2, 64);
  /**
   * Every user by id, in memory on either store: the handshake and every WebSocket frame check the
   * session against it synchronously. Kept current by `reloadUser` (an admin's change, at once) and
   * `refreshDirectory` (any other change, within USER_DIRECTORY_REFRESH_MS).
   */
  private users?: Map<string, DirectoryRow>;
  private directoryVersion?: string;
  private refresh?: NodeJS.Timeout;
  /** Verified when the username is unknown, so that answer takes as long as a wrong password. */
  private decoyHash?: Promise<string>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {
    this.scrypt = { logN: config.PASSWORD_SCRYPT_LOG_N, r: config.PASSWORD_SCRYPT_R, p: config.PASSWORD_SCRYPT_P };
    const throttling = {
      maxFailuresPerUser: config.LOGIN_MAX_FAILURES_PER_USER,
      maxFailuresPerIp: config.LOGIN_MAX_FAILURES_PER_IP,
      windowMs: config.LOGIN_FAILURE_WINDOW_SECONDS * 1000,
    };
    // PostgreSQL: the failure windows are in the database, counted alike by every process on it.
    this.throttle = config.usesPostgres ? new PgLoginThrottle(dataSource, throttling) : new LoginThrottle(throttling);
  }

  async onModuleInit(): Promise<void> {
    await this.seedDemoUsers();
    await this.refreshDirectory();
    this.refresh = setInterval(
      () => void this.refreshDirectory().catch((e) => this.logger.warn(`user directory refresh failed: ${(e as Error).message}`)),
      USER_DIRECTORY_REFRESH_MS,
    );
    this.refresh.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.refresh);
  }

  /**
   * Re-reads every user when the table changed since the last read (`user_directory_version`, moved
   * by triggers on any change — through laihua or by hand): one row read a second otherwise. The
   * version is read first, so a change committed during the reload moves it again and is read next time.
   */
  async refreshDirectory(): Promise<void> {
    const version = String((await sqlPort(this.dataSource).get<{ n: number | string }>(`SELECT n FROM user_directory_version WHERE id = 1`))?.n);
    if (this.users && version === this.directoryVersion) return;
    const rows = await this.dataSource
      .getRepository(UserEntity)
      .find({ select: { id: true, username: true, role: true, disabled: true, mustChangePassword: true, sessionEpoch: true } });
    this.users = new Map(rows.map((u) => [u.id, directoryRow(u)]));
    this.directoryVersion = version;
  }

  /** Re-reads one user into the directory now (an admin changed them: src/auth/user-changes.ts). */
  async reloadUser(id: string): Promise<void> {
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ id });
    if (!this.users) return;
    if (user) this.users.set(id, directoryRow(user));
    else this.users.delete(id);
  }

  private async seedDemoUsers(): Promise<void> {
    if (!this.config.DEMO_DATA) return;
    const repo = this.dataSource.getRepository(UserEntity);
    await Promise.all(
      DEMO_USERS.map(async (demo) => {
        if (await repo.existsBy({ username: demo.username })) return;
        await repo.insert({
          id: randomUUID(),
          username: demo.username,
          role: demo.role,
          passwordHash: await hashPassword('demo', this.scrypt),
          createdAt: new Date().toISOString(),
        });
        this.logger.log(`demo user ${demo.username} (${demo.role}) created`);
      }),
    );
  }

  async login(username: string, password: string, ip: string, newPassword?: string): Promise<LoginResult> {
    // Single sign-on only (docs/SSO.md): no password is looked at, so none can be guessed here.
    if (!this.config.LOCAL_PASSWORDS) throw new AppError('FORBIDDEN', 'Local passwords are turned off: sign in with single sign-on');
    // Counted before anything is read or hashed: concurrency cannot buy more guesses than the limit.
    await this.throttle.attempt(username, ip);
    const repo = this.dataSource.getRepository(UserEntity);
    const user = await repo.findOneBy({ username });
    const hash = user?.passwordHash ?? (await this.decoy());
    const ok = await this.hashing.run(() => verifyPassword(password, hash));
    // The same answer for an unknown user and a wrong password.
    // A disabled user gets the same answer too: nothing tells a guesser which accounts are live.
    if (!user || !ok || user.disabled) throw new AppError('UNAUTHORIZED', 'Unknown user or wrong password');
    await this.throttle.succeeded(username, ip);
    if (user.mustChangePassword) {
      if (newPassword === undefined) return { mustChangePassword: true };
      await this.changeOwnPassword(user, password, newPassword);
    } else if (needsRehash(user.passwordHash, this.scrypt)) {
      await repo.update({ id: user.id }, { passwordHash: await hashPassword(password, this.scrypt) });
      this.logger.log(`password hash of ${user.username} upgraded to scrypt ln=${this.scrypt.logN},r=${this.scrypt.r},p=${this.scrypt.p}`);
    }
    return this.issue(user);
  }

  /** The session a signed-in user gets, whichever way they signed in (password here, or src/sso). */
  async issue(user: Pick<UserEntity, 'id' | 'username' | 'role' | 'sessionEpoch'>): Promise<{ token: string; role: Role }> {
    const claims: AuthUser = { sub: user.id, username: user.username, role: user.role, epoch: user.sessionEpoch };
    return { token: await this.jwt.signAsync(claims), role: user.role };
  }

  /** The forced change after an admin reset: a strong password that is not the one just reset. */
  private async changeOwnPassword(user: UserEntity, current: string, next: string): Promise<void> {
    const problems = describeProblems(passwordProblems(next, user.username));
    if (next === current) problems.push('is the password that was reset');
    if (problems.length) throw new AppError('VALIDATION_FAILED', 'The new password is not strong enough', [{ field: 'newPassword', problems }]);
    const passwordHash = await this.hashing.run(() => hashPassword(next, this.scrypt));
    await this.dataSource.getRepository(UserEntity).update({ id: user.id }, { passwordHash, mustChangePassword: false });
    await this.reloadUser(user.id);
    this.logger.log(`${user.username} chose a new password after a reset`);
  }

  /** A new password's hash at the configured cost (src/people: create, reset). */
  hash(password: string): Promise<string> {
    return this.hashing.run(() => hashPassword(password, this.scrypt));
  }

  /**
   * Verifies a bearer token; any problem is UNAUTHORIZED. Besides signature and expiry, the user
   * must still exist, enabled, with the role the token names and no pending password change: a
   * deleted, disabled, re-roled or reset user's tokens stop working, and so do those issued before the
   * user last logged out (the token's epoch is not the row's).
   */
  verify(token: string | undefined | null): AuthUser {
    if (!token) throw new AppError('UNAUTHORIZED', 'A token is required');
    let claims: AuthUser;
    try {
      claims = this.jwt.verify<AuthUser & { iat: number }>(token);
    } catch {
      throw new AppError('UNAUTHORIZED', INVALID_TOKEN);
    }
    if (typeof claims.sub !== 'string' || !ROLES.includes(claims.role)) throw new AppError('UNAUTHORIZED', INVALID_TOKEN);
    const epoch = claims.epoch ?? 0;
    if (!Number.isSafeInteger(epoch)) throw new AppError('UNAUTHORIZED', INVALID_TOKEN);
    const row = this.userOf(claims.sub);
    if (!row || !holds(row, claims.role, epoch)) throw new AppError('UNAUTHORIZED', INVALID_TOKEN);
    return { sub: claims.sub, username: row.username, role: claims.role, epoch };
  }

  /** When a token that `verify` accepted expires (epoch ms; Infinity without `exp`). */
  expiresAt(token: string): number {
    const exp = (this.jwt.decode<{ exp?: number } | null>(token) ?? {}).exp;
    return typeof exp === 'number' ? exp * 1000 : Infinity;
  }

  /**
   * A verified session still holds: its user exists with the same role and has not logged out since. No signature is checked again
   * (the token has not changed since the handshake): this runs on every WebSocket frame.
   */
  stillHolds(user: AuthUser): boolean {
    const row = this.userOf(user.sub);
    return !!row && holds(row, user.role, user.epoch ?? 0);
  }

  /**
   * Logging out: the user's epoch moves on, so every token issued to them so far stops working, on
   * every node (the caller announces the change: src/auth/user-changes.ts closes their sockets).
   */
  async logout(user: AuthUser): Promise<void> {
    // Only from the epoch the token holds: a second logout with the same token moves nothing.
    await this.dataSource.getRepository(UserEntity).increment({ id: user.sub, sessionEpoch: user.epoch ?? 0 }, 'sessionEpoch', 1);
  }

  /**
   * The in-memory directory on either store: no I/O on the handshake or per frame (a user changed
   * outside laihua's admin routes is seen within a refresh).
   */
  private userOf(id: string): DirectoryRow | undefined {
    return this.users?.get(id);
  }

  private decoy(): Promise<string> {
    return (this.decoyHash ??= hashPassword(randomBytes(16).toString('hex'), this.scrypt));
  }
}

const directoryRow = (u: UserEntity): DirectoryRow => ({
  username: u.username,
  role: u.role,
  disabled: u.disabled,
  must_change_password: u.mustChangePassword,
  session_epoch: Number(u.sessionEpoch),
});

/**
 * A session holds while its user keeps the role, is enabled, has no password change pending (SQLite
 * gives 0/1) and has not logged out since it was issued.
 */
const holds = (row: DirectoryRow, role: string, epoch: number): boolean =>
  row.role === role && !row.disabled && !row.must_change_password && row.session_epoch === epoch;
