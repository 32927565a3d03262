import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { CreatePersonRequest, PeopleAction, PersonSummary, Team, UpdatePersonRequest } from '../../protocol/people';
import type { AuthUser } from '../auth/auth-user';
import { AuthService } from '../auth/auth.service';
import { describeProblems, passwordProblems } from '../auth/password-strength';
import { UserChanges } from '../auth/user-changes';
import { UserEntity } from '../auth/user.entity';
import { AppError } from '../common/app-error';
import { PeopleAudit } from './people-audit.service';
import { TeamEntity } from './people.entities';
import { newPersonProblem, PersonProblem, storeSupervises, summaryOf } from './person-rules';

/**
 * Users and teams, for admins (`/api/people`). Each change and its audit entry are one transaction,
 * one at a time (SQLite has one connection: transactions must not overlap); a change that takes
 * power away (disable, re-role, reset) then ends the user's sessions at once (UserChanges).
 */
@Injectable()
export class PeopleService {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    private readonly auth: AuthService,
    private readonly changes: UserChanges,
    private readonly audit: PeopleAudit,
  ) {}

  /** Runs `work` in a transaction after every earlier change has finished. */
  private serial<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const next = this.queue.then(() => this.dataSource.transaction(work));
    this.queue = next.catch(() => undefined);
    return next;
  }

  async users(): Promise<PersonSummary[]> {
    const rows = await this.dataSource.getRepository(UserEntity).find({ order: { username: 'ASC' } });
    return rows.map(summaryOf);
  }

  async teams(): Promise<Team[]> {
    const rows = await this.dataSource.getRepository(TeamEntity).find({ order: { name: 'ASC' } });
    return rows.map((t) => ({ id: t.id, name: t.name, createdAt: t.createdAt }));
  }

  /** Creates the user (they must change the password at their first login); PersonProblem when refused. */
  async create(actor: AuthUser, request: CreatePersonRequest, manager?: EntityManager): Promise<PersonSummary> {
    const problem = newPersonProblem(request);
    if (problem) throw problem;
    const passwordHash = await this.auth.hash(request.password);
    const work = async (m: EntityManager) => {
      const users = m.getRepository(UserEntity);
      if (await users.existsBy({ username: request.username })) throw new PersonProblem('duplicate-username', 'username', 'is taken');
      const teamId = request.teamId ?? null;
      if (teamId !== null) await this.requireTeam(m, teamId);
      if (request.supervises && request.supervises !== 'all') for (const id of request.supervises) await this.requireTeam(m, id);
      const user = users.create({
        id: randomUUID(),
        username: request.username,
        role: request.role,
        passwordHash,
        createdAt: new Date().toISOString(),
        disabled: false,
        mustChangePassword: true,
        teamId,
        supervises: storeSupervises(request.supervises ?? 'all'),
      });
      await users.insert(user);
      const summary = summaryOf(user);
      await this.audit.record(m, actor, 'user.create', target(user), null, summary);
      return summary;
    };
    return manager ? work(manager) : this.serial(work);
  }

  /** Applies each given field; each change is audited on its own. */
  async update(actor: AuthUser, id: string, request: UpdatePersonRequest): Promise<PersonSummary> {
    if (id === actor.sub && (request.disabled === true || (request.role !== undefined && request.role !== actor.role)))
      throw new AppError('VALIDATION_FAILED', 'An admin cannot disable or re-role themselves', [
        { field: request.disabled ? 'disabled' : 'role', problems: ['not for your own account'] },
      ]);
    const summary = await this.serial(async (m) => {
      const users = m.getRepository(UserEntity);
      const user = await this.requireUser(m, id);
      const before = summaryOf(user);
      const changed: [PeopleAction, unknown, unknown][] = [];
      if (request.role !== undefined && request.role !== user.role) {
        changed.push(['user.role', { role: user.role }, { role: request.role }]);
        user.role = request.role;
      }
      if (request.disabled !== undefined && request.disabled !== before.disabled) {
        changed.push([request.disabled ? 'user.disable' : 'user.enable', { disabled: before.disabled }, { disabled: request.disabled }]);
        user.disabled = request.disabled;
      }
      if (request.teamId !== undefined && request.teamId !== before.teamId) {
        if (request.teamId !== null) await this.requireTeam(m, request.teamId);
        changed.push(['user.team', { teamId: before.teamId }, { teamId: request.teamId }]);
        user.teamId = request.teamId;
      }
      if (request.supervises !== undefined && storeSupervises(request.supervises) !== storeSupervises(before.supervises)) {
        if (request.supervises !== 'all') for (const teamId of request.supervises) await this.requireTeam(m, teamId);
        changed.push(['user.supervises', { supervises: before.supervises }, { supervises: request.supervises }]);
        user.supervises = storeSupervises(request.supervises);
      }
      if (!changed.length) return before;
      await users.update({ id }, { role: user.role, disabled: user.disabled, teamId: user.teamId, supervises: user.supervises });
      for (const [action, was, now] of changed) await this.audit.record(m, actor, action, target(user), was, now);
      return summaryOf(user);
    });
    await this.changes.changed(id);
    return summary;
  }

  /** Sets a password the user must change at their next login; their sessions end now. */
  async resetPassword(actor: AuthUser, id: string, password: string): Promise<PersonSummary> {
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ id });
    if (!user) throw new AppError('NOT_FOUND', `No user ${id}`);
    const weak = describeProblems(passwordProblems(password, user.username));
    if (weak.length) throw new AppError('VALIDATION_FAILED', 'The password is not strong enough', [{ field: 'password', problems: weak }]);
    const passwordHash = await this.auth.hash(password);
    const summary = await this.serial(async (m) => {
      const current = await this.requireUser(m, id);
      await m.getRepository(UserEntity).update({ id }, { passwordHash, mustChangePassword: true });
      await this.audit.record(
        m,
        actor,
        'user.password-reset',
        target(current),
        { mustChangePassword: !!current.mustChangePassword },
        { mustChangePassword: true },
      );
      return summaryOf({ ...current, mustChangePassword: true });
    });
    await this.changes.changed(id);
    return summary;
  }

  async createTeam(actor: AuthUser, name: string): Promise<Team> {
    return this.serial(async (m) => {
      const teams = m.getRepository(TeamEntity);
      if (await teams.existsBy({ name })) throw nameTaken();
      const team = { id: randomUUID(), name, createdAt: new Date().toISOString() };
      await teams.insert(team);
      await this.audit.record(m, actor, 'team.create', team, null, { name });
      return team;
    });
  }

  async renameTeam(actor: AuthUser, id: string, name: string): Promise<Team> {
    return this.serial(async (m) => {
      const teams = m.getRepository(TeamEntity);
      const team = await teams.findOneBy({ id });
      if (!team) throw new AppError('NOT_FOUND', `No team ${id}`);
      if (team.name === name) return team;
      if (await teams.existsBy({ name })) throw nameTaken();
      await teams.update({ id }, { name });
      await this.audit.record(m, actor, 'team.rename', team, { name: team.name }, { name });
      return { ...team, name };
    });
  }

  /** For the CSV import: one row's work in its own serialised transaction. */
  inTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.serial(work);
  }

  private async requireUser(m: EntityManager, id: string): Promise<UserEntity> {
    const user = await m.getRepository(UserEntity).findOneBy({ id });
    if (!user) throw new AppError('NOT_FOUND', `No user ${id}`);
    return user;
  }

  private async requireTeam(m: EntityManager, id: string): Promise<void> {
    if (!(await m.getRepository(TeamEntity).existsBy({ id }))) throw new PersonProblem('unknown-team', 'teamId', `no team ${id}`);
  }
}

const target = (user: { id: string; username: string }) => ({ id: user.id, name: user.username });
const nameTaken = () => new AppError('VALIDATION_FAILED', 'A team with this name exists', [{ field: 'name', problems: ['is taken'] }]);
