import { JwtService } from '@nestjs/jwt';
import * as fs from 'node:fs';
import type { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { AuthService } from '../auth/auth.service';
import { UserChanges } from '../auth/user-changes';
import { UserEntity } from '../auth/user.entity';
import { loadConfig } from '../config/app-config';
import { openTestDatabase } from '../testing/sqlite-data-source';
import { PeopleImport } from './people-import.service';
import { PeopleAudit } from './people-audit.service';
import { PeopleService } from './people.service';

describe('PeopleService over a real SQLite database', () => {
  let dataSource: DataSource;
  let dir: string;
  let auth: AuthService;
  let people: PeopleService;
  let importer: PeopleImport;
  let audit: PeopleAudit;
  let admin: AuthUser;
  const changed: string[] = [];

  beforeAll(async () => {
    ({ dataSource, dir } = await openTestDatabase());
    const config = loadConfig({ DATA_DIR: dir, JWT_SECRET: 'k'.repeat(40), PASSWORD_SCRYPT_LOG_N: '14' });
    auth = new AuthService(dataSource, new JwtService({ secret: 'k'.repeat(40) }), config);
    await auth.onModuleInit();
    const changes = new UserChanges(auth, config, dataSource);
    changes.onChange((id) => changed.push(id));
    audit = new PeopleAudit(dataSource);
    people = new PeopleService(dataSource, auth, changes, audit);
    importer = new PeopleImport(dataSource, people);
    const row = await dataSource.getRepository(UserEntity).findOneByOrFail({ username: 'admin1' });
    admin = { sub: row.id, username: 'admin1', role: 'admin' };
  });

  afterAll(async () => {
    auth.onApplicationShutdown();
    await dataSource.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates a user who must change the password; a taken username or unknown team is refused with its reason', async () => {
    const team = await people.createTeam(admin, 'North');
    const created = await people.create(admin, { username: 'agent9', role: 'agent', password: 'Str0ng-Enough!', teamId: team.id });
    expect(created).toMatchObject({ username: 'agent9', role: 'agent', disabled: false, mustChangePassword: true, teamId: team.id, supervises: 'all' });
    await expect(people.create(admin, { username: 'agent9', role: 'qa', password: 'Str0ng-Enough!' })).rejects.toMatchObject({ reason: 'duplicate-username' });
    await expect(
      people.create(admin, { username: 'agent10', role: 'agent', password: 'Str0ng-Enough!', teamId: '00000000-0000-4000-8000-000000000000' }),
    ).rejects.toMatchObject({ reason: 'unknown-team' });
    expect(await dataSource.getRepository(UserEntity).existsBy({ username: 'agent10' })).toBe(false);
    await expect(people.createTeam(admin, 'North')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('audits each change with its before and after, and announces the changed user (their sessions end)', async () => {
    const target = (await people.users()).find((u) => u.username === 'agent1')!;
    changed.length = 0;
    const after = await people.update(admin, target.id, { role: 'qa', disabled: true });
    expect(after).toMatchObject({ role: 'qa', disabled: true });
    expect(changed).toEqual([target.id]);
    const entries = (await audit.list()).slice(0, 2);
    expect(entries.map((e) => [e.action, e.actor, e.targetName, e.before, e.after])).toEqual([
      ['user.disable', 'admin1', 'agent1', { disabled: false }, { disabled: true }],
      ['user.role', 'admin1', 'agent1', { role: 'agent' }, { role: 'qa' }],
    ]);
    expect(auth.stillHolds({ sub: target.id, username: 'agent1', role: 'qa' })).toBe(false);
    await people.update(admin, target.id, { disabled: false });
    expect(auth.stillHolds({ sub: target.id, username: 'agent1', role: 'qa' })).toBe(true);
  });

  it('an admin cannot disable or re-role themselves', async () => {
    await expect(people.update(admin, admin.sub, { disabled: true })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(people.update(admin, admin.sub, { role: 'agent' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('a reset needs a strong password, forces a change and ends the sessions', async () => {
    const target = (await people.users()).find((u) => u.username === 'supervisor1')!;
    await expect(people.resetPassword(admin, target.id, 'weak')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    changed.length = 0;
    expect(await people.resetPassword(admin, target.id, 'Temp-Pass-2026')).toMatchObject({ mustChangePassword: true });
    expect(changed).toEqual([target.id]);
    expect(auth.stillHolds({ sub: target.id, username: 'supervisor1', role: 'supervisor' })).toBe(false);
    expect(await auth.login('supervisor1', 'Temp-Pass-2026', '10.1.1.1')).toEqual({ mustChangePassword: true });
    expect((await audit.list())[0]).toMatchObject({ action: 'user.password-reset', targetName: 'supervisor1' });
  });

  it('imports CSV row by row: good rows are created, each bad row reports its typed reason and writes nothing', async () => {
    const before = await dataSource.getRepository(UserEntity).count();
    const report = await importer.run(
      admin,
      [
        'username,role,password,team',
        'csv1,agent,Str0ng-Enough!,North',
        'csv1,agent,Str0ng-Enough!,North',
        'csv2,root,Str0ng-Enough!,',
        'csv3,agent,weak,North',
        'csv4,agent,Str0ng-Enough!,Nowhere',
        'bad name,agent,Str0ng-Enough!,',
        'csv5,qa',
        'csv6,supervisor,Str0ng-Enough!,',
      ].join('\n'),
    );
    expect(report.rows.map((r) => (r.ok ? [r.row, 'ok'] : [r.row, r.error]))).toEqual([
      [1, 'ok'],
      [2, 'duplicate-username'],
      [3, 'bad-role'],
      [4, 'weak-password'],
      [5, 'unknown-team'],
      [6, 'bad-username'],
      [7, 'malformed-row'],
      [8, 'ok'],
    ]);
    expect(report).toMatchObject({ created: 2, failed: 6 });
    expect(await dataSource.getRepository(UserEntity).count()).toBe(before + 2);
    const created = (await audit.list()).filter((e) => e.action === 'user.create').map((e) => e.targetName);
    expect(created).toEqual(expect.arrayContaining(['csv1', 'csv6']));
    expect(created).not.toContain('csv3');
  });
});
