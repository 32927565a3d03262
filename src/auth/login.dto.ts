import { IsString, MaxLength, MinLength } from 'class-validator';
import type { LoginRequest } from '../../protocol/auth';

export class LoginDto implements LoginRequest {
  @IsString() @MinLength(1) @MaxLength(64) username: string;
  @IsString() @MinLength(1) @MaxLength(256) password: string;
}
