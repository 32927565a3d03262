import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { createSecretKey } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JwtAuthGuard } from './jwt-auth.guard';
import { resolveJwtSecret } from './jwt-secret';
import { UserChanges } from './user-changes';
import { UserEntity } from './user.entity';

@Global()
@Module({
  imports: [
    TypeOrmModule.forFeature([UserEntity]),
    JwtModule.registerAsync({
      inject: [AppConfig, DataSource],
      useFactory: async (config: AppConfig, dataSource: DataSource) => ({
        // A KeyObject, not a string: jsonwebtoken re-imports a string secret on every verify
        // (~0.6 ms each here, measured in bench/), which made WebSocket handshakes the bottleneck.
        secret: createSecretKey(Buffer.from(await resolveJwtSecret(config, dataSource), 'utf8')),
        signOptions: { expiresIn: config.JWT_TTL_SECONDS, algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  // The guard is global: every route and WebSocket message is for signed-in users unless @Public().
  providers: [AuthService, UserChanges, JwtAuthGuard, { provide: APP_GUARD, useExisting: JwtAuthGuard }],
  controllers: [AuthController],
  exports: [AuthService, UserChanges, JwtAuthGuard, JwtModule],
})
export class AuthModule {}
