import { ApiProperty } from '@nestjs/swagger';

class SsoProviderSchema {
  @ApiProperty({ example: 'Contoso SSO' }) providerName: string;
}

/** `GET /api/auth/oidc/options`. */
export class SsoOptionsSchema {
  @ApiProperty() localPasswords: boolean;
  @ApiProperty({ type: SsoProviderSchema, nullable: true }) sso: SsoProviderSchema | null;
}
