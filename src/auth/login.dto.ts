import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import type { LoginRequest } from '../../protocol/auth';

export class LoginDto implements LoginRequest {
  @ApiProperty({ minLength: 1, maxLength: 64, example: 'agent1' }) @IsString() @MinLength(1) @MaxLength(64) username: string;
  @ApiProperty({ minLength: 1, maxLength: 256, format: 'password' }) @IsString() @MinLength(1) @MaxLength(256) password: string;
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 256,
    format: 'password',
    description: 'Only after an answer `mustChangePassword`: the new password (the strength rule applies)',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  newPassword?: string;
}
