import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ImportReport, ImportRowResult } from '../../protocol/people';
import type { AuthUser } from '../auth/auth-user';
import { AppError } from '../common/app-error';
import { CsvHeaderProblem, csvPeople } from './csv-rows';
import { TeamEntity } from './people.entities';
import { PeopleService } from './people.service';
import { PersonProblem } from './person-rules';

/**
 * Bulk import: each CSV row is created as one person in its own transaction (the user and its audit
 * entry, or nothing), so a bad row never stops the others; the report says, per row, created or
 * why not. The `team` column names a team (created beforehand); empty for none.
 */
@Injectable()
export class PeopleImport {
  constructor(
    private readonly dataSource: DataSource,
    private readonly people: PeopleService,
  ) {}

  async run(actor: AuthUser, csv: string): Promise<ImportReport> {
    let rows;
    try {
      rows = csvPeople(csv);
    } catch (e) {
      if (e instanceof CsvHeaderProblem) throw new AppError('VALIDATION_FAILED', `The CSV is ${e.message}`, [{ field: 'csv', problems: [e.message] }]);
      throw e;
    }
    const teams = new Map((await this.dataSource.getRepository(TeamEntity).find()).map((t) => [t.name, t.id]));
    const results: ImportRowResult[] = [];
    for (const row of rows) {
      if ('malformed' in row) {
        results.push({ row: row.row, username: row.username, ok: false, error: 'malformed-row', message: row.malformed });
        continue;
      }
      const teamId = row.team ? teams.get(row.team) : null;
      if (teamId === undefined) {
        results.push({ row: row.row, username: row.username, ok: false, error: 'unknown-team', message: `no team named ${row.team}` });
        continue;
      }
      try {
        const person = await this.people.create(actor, { username: row.username, role: row.role as never, password: row.password, teamId });
        results.push({ row: row.row, username: row.username, ok: true, id: person.id });
      } catch (e) {
        if (!(e instanceof PersonProblem)) throw e;
        results.push({ row: row.row, username: row.username, ok: false, error: e.reason, message: `${e.field} ${e.message}` });
      }
    }
    const created = results.filter((r) => r.ok).length;
    return { created, failed: results.length - created, rows: results };
  }
}
