import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PeopleImport } from './people-import.service';
import { PeopleAudit } from './people-audit.service';
import { PeopleController } from './people.controller';
import { PeopleAuditEntity, TeamEntity } from './people.entities';
import { PeopleService } from './people.service';

/** People administration (issue 19 item 1): users, teams, CSV import, the audit. Auth (global) verifies and ends sessions. */
@Module({
  imports: [TypeOrmModule.forFeature([TeamEntity, PeopleAuditEntity])],
  controllers: [PeopleController],
  providers: [PeopleService, PeopleImport, PeopleAudit],
  exports: [PeopleService],
})
export class PeopleModule {}
