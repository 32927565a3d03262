import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateBy } from 'class-validator';
import type { Role } from '../../../protocol/auth';
import type { CreatePersonRequest, ImportRequest, ResetPasswordRequest, Supervises, TeamRequest, UpdatePersonRequest } from '../../../protocol/people';
import { ROLES } from '../../auth/user.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `'all'` or at most 100 team ids. */
const IsSupervises = () =>
  ValidateBy({
    name: 'isSupervises',
    validator: {
      validate: (value: unknown) =>
        value === 'all' || (Array.isArray(value) && value.length <= 100 && value.every((id) => typeof id === 'string' && UUID.test(id))),
      defaultMessage: () => 'supervises must be "all" or an array of team ids',
    },
  });

const SUPERVISES_DOC = {
  oneOf: [
    { type: 'string', enum: ['all'] },
    { type: 'array', items: { type: 'string', format: 'uuid' }, maxItems: 100 },
  ],
  description: 'A supervisor sees these teams on the floor and dashboards, or all',
};
const TEAM_ID_DOC = { type: 'string', format: 'uuid', nullable: true, description: "An agent's team (null: none)" } as const;

export class CreatePersonDto implements CreatePersonRequest {
  @ApiProperty({ minLength: 2, maxLength: 64, pattern: '^[A-Za-z0-9._-]{2,64}$', example: 'agent7' })
  @IsString()
  @MinLength(2)
  @MaxLength(64)
  username: string;
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role: Role;
  @ApiProperty({ minLength: 1, maxLength: 256, format: 'password', description: 'Checked by the strength rule; must be changed at first login' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  password: string;
  @ApiPropertyOptional(TEAM_ID_DOC) @IsOptional() @IsUUID() teamId?: string | null;
  @ApiPropertyOptional(SUPERVISES_DOC) @IsOptional() @IsSupervises() supervises?: Supervises;
}

export class UpdatePersonDto implements UpdatePersonRequest {
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES) role?: Role;
  @ApiPropertyOptional({ type: Boolean }) @IsOptional() @IsBoolean() disabled?: boolean;
  /** null takes the agent out of any team: allowed through (IsOptional lets null pass), checked as a uuid otherwise. */
  @ApiPropertyOptional(TEAM_ID_DOC) @IsOptional() @IsUUID() teamId?: string | null;
  @ApiPropertyOptional(SUPERVISES_DOC) @IsOptional() @IsSupervises() supervises?: Supervises;
}

export class ResetPasswordDto implements ResetPasswordRequest {
  @ApiProperty({ minLength: 1, maxLength: 256, format: 'password' }) @IsString() @MinLength(1) @MaxLength(256) password: string;
}

export class TeamDto implements TeamRequest {
  @ApiProperty({ minLength: 1, maxLength: 64, example: 'Team North' }) @IsString() @MinLength(1) @MaxLength(64) name: string;
}

export class ImportDto implements ImportRequest {
  @ApiProperty({
    minLength: 1,
    maxLength: 200000,
    description: 'CSV with a header username,role,password[,team]',
    example: 'username,role,password,team\nagent7,agent,Str0ng-Passw0rd!,North',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(200000)
  csv: string;
}
