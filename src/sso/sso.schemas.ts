import { ApiProperty } from '@nestjs/swagger';
import type { SsoOptions } from '../../protocol/auth';

class SsoProviderSchema {
  @ApiProperty({ example: 'Contoso SSO' }) providerName: string;
}

/** `GET /api/auth/oidc/options`. */
export class SsoOptionsSchema implements SsoOptions {
  @ApiProperty() localPasswords: boolean;
  @ApiProperty({ type: SsoProviderSchema, nullable: true }) sso: SsoProviderSchema | null;
}
