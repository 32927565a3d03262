import { Module } from '@nestjs/common';
import { PeopleModule } from '../people';
import { SsoController } from './sso.controller';
import { SsoService } from './sso.service';

/** Single sign-on through an OpenID Connect provider (issue 19 item 2, docs/SSO.md); Auth (global) issues the session. */
@Module({
  imports: [PeopleModule],
  controllers: [SsoController],
  providers: [SsoService],
})
export class SsoModule {}
