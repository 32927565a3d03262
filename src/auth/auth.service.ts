import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppError } from '../common/app-error';
import { AppConfig } from '../config/app-config';
import type { AuthUser } from './auth-user';
import { hashPassword, verifyPassword } from './password';
import { type Role, ROLES, UserEntity } from './user.entity';

const DEMO_USERS: { username: string; role: Role }[] = [
  { username: 'agent1', role: 'agent' },
  { username: 'agent2', role: 'agent' },
  { username: 'supervisor1', role: 'supervisor' },
  // A second supervisor: publishing a flow version needs one to approve what another wrote.
  { username: 'supervisor2', role: 'supervisor' },
  { username: 'qa1', role: 'qa' },
];

@Injectable()
export class AuthService implements OnModuleInit {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.DEMO_DATA) return;
    const repo = this.dataSource.getRepository(UserEntity);
    for (const demo of DEMO_USERS) {
      if (await repo.existsBy({ username: demo.username })) continue;
      await repo.insert({ id: randomUUID(), username: demo.username, role: demo.role, passwordHash: await hashPassword('demo'), createdAt: new Date().toISOString() });
      this.logger.log(`demo user ${demo.username} (${demo.role}) created`);
    }
  }

  async login(username: string, password: string): Promise<{ token: string; role: Role }> {
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ username });
    // The same answer for an unknown user and a wrong password.
    if (!user || !(await verifyPassword(password, user.passwordHash))) {
      throw new AppError('UNAUTHORIZED', 'Unknown user or wrong password');
    }
    const claims: AuthUser = { sub: user.id, username: user.username, role: user.role };
    return { token: await this.jwt.signAsync(claims), role: user.role };
  }

  /** Verifies a bearer token; any problem is UNAUTHORIZED. */
  verify(token: string | undefined | null): AuthUser {
    if (!token) throw new AppError('UNAUTHORIZED', 'A token is required');
    try {
      const claims = this.jwt.verify<AuthUser & { iat: number }>(token);
      if (!ROLES.includes(claims.role)) throw new Error('bad role');
      return { sub: claims.sub, username: claims.username, role: claims.role };
    } catch {
      throw new AppError('UNAUTHORIZED', 'The token is invalid or expired');
    }
  }
}
