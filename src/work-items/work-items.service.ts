import { Injectable } from '@nestjs/common';
import * as path from 'node:path';
import { DataSource, type EntityManager } from 'typeorm';
import type { OnTimeReport, OnTimeRow, WorkItem, WorkItemDetail, WorkItemHistoryEntry, WorkItemStatus, WorkItemType } from '../../protocol/work-items';
import type { AuthUser } from '../auth/auth-user';
import { AppError } from '../common/app-error';
import { readerSqlPort } from '../common/sqlite-reader';
import { AppConfig } from '../config/app-config';
import { loadServiceLevels, type ServiceLevels } from './service-levels';
import { WorkItemEntity, WorkItemHistoryEntity } from './work-items.entities';
import { type Reach, reachOf } from './work-item-reach';
import { canMove, isDone, isOverdue, needsNote } from './work-item-rules';

export type WorkItemScope = 'mine' | 'team' | 'desk' | 'caller';

export interface WorkItemQuery {
  scope: WorkItemScope;
  desk?: string;
  callerNumber?: string;
  /** Resolved and closed items too (default: only those still to do). */
  done?: boolean;
}

/** The most a list returns (overdue first): a desk's whole backlog is paged by working it, not by scrolling. */
const LIST_LIMIT = 200;

/** The most a caller's screen pop lists: what they are waiting for, not their history. */
const CALLER_LIMIT = 20;

export const toItem = (e: WorkItemEntity, now: string): WorkItem => ({
  id: e.id,
  type: e.type as WorkItemType,
  status: e.status as WorkItemStatus,
  priority: e.priority as WorkItem['priority'],
  callId: e.callId,
  sourceSeq: e.sourceSeq,
  flowId: e.flowId,
  stepId: e.stepId,
  business: e.business,
  callerNumber: e.callerNumber,
  customerTier: e.customerTier,
  receiptId: e.receiptId,
  desk: e.desk,
  assignee: e.assignee,
  rule: e.rule,
  createdAt: e.createdAt,
  dueAt: e.dueAt,
  updatedAt: e.updatedAt,
  overdue: isOverdue({ status: e.status as WorkItemStatus, dueAt: e.dueAt }, now),
  parentId: e.parentId,
  callbackFlowId: e.callbackFlowId,
  callbackNote: e.callbackNote,
  outboundCallId: e.outboundCallId,
});

/**
 * Work items as the desks work them (docs/FOLLOW-UP.md): raised by the end-of-call work from what a
 * call promised (items-from-trace.ts), listed per person, desk or caller overdue first, claimed,
 * moved through their states with a note, reopened. Every change and its history entry are written
 * in one transaction, guarded by the status it was read in (two desks changing one item at once: the
 * second is refused with INVALID_STATE, never silently overwritten).
 */
@Injectable()
export class WorkItems {
  readonly serviceLevels: ServiceLevels;

  constructor(
    private readonly dataSource: DataSource,
    config: AppConfig,
  ) {
    // A bad policy stops the boot, like a bad flow file.
    this.serviceLevels = loadServiceLevels(path.resolve(config.SERVICE_LEVELS_FILE));
  }

  async list(user: AuthUser, query: WorkItemQuery): Promise<WorkItem[]> {
    const reach = await this.reach(user);
    const now = new Date().toISOString();
    const scoped = () => {
      const q = this.dataSource.getRepository(WorkItemEntity).createQueryBuilder('w');
      if (!query.done) q.andWhere('w.status IN (:...open)', { open: ['open', 'in-progress'] });
      if (query.scope === 'mine') q.andWhere('w.assignee = :me', { me: user.sub });
      if (query.scope === 'team') {
        if (user.role === 'agent') q.andWhere('w.desk = :desk', { desk: reach.team ?? '' });
      }
      if (query.scope === 'desk') {
        if (!query.desk) throw new AppError('VALIDATION_FAILED', 'A desk is required', [{ field: 'desk', problems: ['required with scope=desk'] }]);
        if (!reach.sees(query.desk)) throw new AppError('FORBIDDEN', `You do not work desk ${query.desk}`);
        q.andWhere('w.desk = :desk', { desk: query.desk });
      }
      if (query.scope === 'caller') {
        if (!query.callerNumber)
          throw new AppError('VALIDATION_FAILED', 'A caller number is required', [{ field: 'callerNumber', problems: ['required with scope=caller'] }]);
        q.andWhere('w.caller_number = :caller', { caller: query.callerNumber });
      }
      return q;
    };
    // Overdue first (still to do and past due), then the most urgent; ties by age. The priority rank is
    // idx_work_items_listing's expression, exactly.
    const OVERDUE = `w.status IN ('open', 'in-progress') AND w.due_at < :now`;
    const PRIORITY = `CASE WHEN w.priority = 'high' THEN 0 ELSE 1 END`;
    const listed = (q: ReturnType<typeof scoped>, limit: number, overdueFirst: boolean) => {
      if (overdueFirst) q.orderBy(`CASE WHEN ${OVERDUE} THEN 0 ELSE 1 END`, 'ASC').addOrderBy(PRIORITY, 'ASC');
      else q.orderBy(PRIORITY, 'ASC');
      return q.addOrderBy('w.due_at', 'ASC').addOrderBy('w.id', 'ASC').setParameter('now', now).limit(limit).getMany();
    };
    let rows: WorkItemEntity[];
    if (query.done) {
      // Every item ever raised: the overdue ones (a backlog) are read apart, then the rest in the order
      // of the listing's indexes, stopping at LIST_LIMIT — never a sort of the whole history (migration
      // WorkItemListingIndex). The same rows in the same order as the single sort.
      // (The overdue read keeps the overdue rank first, constant there: no listing index serves that
      // order, so the planner takes the backlog's index, not a walk of the whole scope in index order.)
      rows = await listed(scoped().andWhere(OVERDUE), LIST_LIMIT, true);
      if (rows.length < LIST_LIMIT) rows = [...rows, ...(await listed(scoped().andWhere(`NOT (${OVERDUE})`), LIST_LIMIT - rows.length, false))];
    } else {
      // Still to do only: the backlog, bounded.
      rows = await listed(scoped(), LIST_LIMIT, true);
    }
    // A supervisor's team view is every desk they supervise. The caller view is the agent on the call's:
    // what the caller is waiting for, whichever desk has it (read only: working it is the desk's).
    return rows.filter((r) => query.scope === 'mine' || query.scope === 'caller' || reach.sees(r.desk)).map((r) => toItem(r, now));
  }

  /**
   * A caller's items still to do, and those finished since `since` (the screen pop): open ones first,
   * overdue first. Two reads, each along `idx_work_items_caller_updated`: the number's backlog, then
   * only what it finished in the window — never every item the number was ever raised.
   */
  async forCaller(callerNumber: string, since: string): Promise<WorkItem[]> {
    const now = new Date().toISOString();
    const open = await callerItems(this.dataSource, callerNumber, CALLER_LIMIT).getMany();
    const finished = open.length < CALLER_LIMIT ? await callerItems(this.dataSource, callerNumber, CALLER_LIMIT - open.length, since).getMany() : [];
    return [...open, ...finished].map((r) => toItem(r, now)).sort((a, b) => Number(b.overdue) - Number(a.overdue));
  }

  /**
   * The on-time rate of the items due in [from, to) by business, desk and customer tier (the
   * dashboards): on time = resolved or closed no later than due; late = after; overdue = still to do
   * past due. The rate is on time over all three (items not yet due are counted in `due` only).
   */
  async onTime(from: string, to: string): Promise<OnTimeReport> {
    const now = new Date().toISOString();
    // A year of items is a scan of their due range: on SQLite it runs on the read thread, never on the main one.
    const reader = readerSqlPort(this.dataSource);
    const by = async (column: 'business' | 'desk' | 'customer_tier'): Promise<OnTimeRow[]> => {
      const rows = await reader.all<Record<keyof OnTimeRow, string | number>>(
        `SELECT COALESCE(${column}, '') AS "key", COUNT(*) AS "due",
           SUM(CASE WHEN resolved_at IS NOT NULL AND resolved_at <= due_at THEN 1 ELSE 0 END) AS "onTime",
           SUM(CASE WHEN resolved_at IS NOT NULL AND resolved_at > due_at THEN 1 ELSE 0 END) AS "late",
           SUM(CASE WHEN resolved_at IS NULL AND due_at < ? THEN 1 ELSE 0 END) AS "overdue"
         FROM work_items WHERE due_at >= ? AND due_at < ? GROUP BY COALESCE(${column}, '') ORDER BY 1`,
        [now, from, to],
      );
      return rows.map((r) => {
        const [due, onTime, late, overdue] = [r.due, r.onTime, r.late, r.overdue].map(Number);
        const judged = onTime + late + overdue;
        return { key: String(r.key), due, onTime, late, overdue, rate: judged ? Math.round((onTime / judged) * 1000) / 1000 : null };
      });
    };
    return { from, to, byBusiness: await by('business'), byDesk: await by('desk'), byTier: await by('customer_tier') };
  }

  /** Items past due and still to do, by the business and step that raised them (the live floor's alert). */
  async overdueByStep(now: string): Promise<{ flowId: string; stepId: string; count: number; oldestDueAt: string }[]> {
    const rows = await this.dataSource
      .getRepository(WorkItemEntity)
      .createQueryBuilder('w')
      .select('w.business', 'flowId')
      .addSelect('w.step_id', 'stepId')
      .addSelect('COUNT(*)', 'n')
      .addSelect('MIN(w.due_at)', 'oldestDueAt')
      .where(`w.status IN ('open', 'in-progress') AND w.due_at < :now AND w.business IS NOT NULL AND w.step_id IS NOT NULL`, { now })
      .groupBy('w.business')
      .addGroupBy('w.step_id')
      .getRawMany();
    return (rows as { flowId: string; stepId: string; n: number | string; oldestDueAt: string }[]).map((r) => ({ ...r, count: Number(r.n) }));
  }

  async get(user: AuthUser, id: number): Promise<WorkItemDetail> {
    const reach = await this.reach(user);
    const row = await this.dataSource.getRepository(WorkItemEntity).findOneBy({ id });
    if (!row || !(reach.sees(row.desk) || row.assignee === user.sub)) throw new AppError('NOT_FOUND', `No work item ${id}`);
    const history = await this.dataSource.getRepository(WorkItemHistoryEntity).find({ where: { itemId: id }, order: { id: 'ASC' } });
    return {
      ...toItem(row, new Date().toISOString()),
      history: history.map((h): WorkItemHistoryEntry => ({
        at: h.at,
        actor: h.actor,
        action: h.action as WorkItemHistoryEntry['action'],
        fromStatus: h.fromStatus as WorkItemStatus | null,
        toStatus: h.toStatus as WorkItemStatus,
        note: h.note,
      })),
    };
  }

  /** Takes an item to work on: its assignee becomes the user and an open item is in progress. */
  claim(user: AuthUser, id: number): Promise<WorkItemDetail> {
    return this.change(user, id, (row) => {
      if (isDone(row.status as WorkItemStatus))
        throw new AppError('INVALID_STATE', `Work item ${id} is ${row.status}: reopen it first`, { status: row.status as WorkItemStatus });
      return { status: row.status === 'open' ? 'in-progress' : (row.status as WorkItemStatus), assignee: user.sub, action: 'claimed', note: null };
    });
  }

  /** Moves an item on (resolve and close need a note: what the caller is told). */
  setStatus(user: AuthUser, id: number, status: WorkItemStatus, note: string | null): Promise<WorkItemDetail> {
    return this.change(user, id, (row) => {
      const from = row.status as WorkItemStatus;
      if (!canMove(from, status)) throw new AppError('INVALID_STATE', `Work item ${id} is ${from}: it cannot become ${status}`, { status: from });
      if (needsNote(status) && !note)
        throw new AppError('VALIDATION_FAILED', `A note is required to mark it ${status}`, [{ field: 'note', problems: [`required for ${status}`] }]);
      return { status, assignee: status === 'open' ? null : (row.assignee ?? user.sub), action: status === 'open' ? 'reopened' : 'status', note };
    });
  }

  private async change(
    user: AuthUser,
    id: number,
    decide: (row: WorkItemEntity) => { status: WorkItemStatus; assignee: string | null; action: WorkItemHistoryEntry['action']; note: string | null },
  ): Promise<WorkItemDetail> {
    const reach = await this.reach(user);
    await this.dataSource.transaction(async (m: EntityManager) => {
      const row = await m.getRepository(WorkItemEntity).findOneBy({ id });
      if (!row || !(reach.sees(row.desk) || row.assignee === user.sub)) throw new AppError('NOT_FOUND', `No work item ${id}`);
      if (user.role === 'agent' && row.assignee !== null && row.assignee !== user.sub) {
        throw new AppError('FORBIDDEN', `Work item ${id} is claimed by someone else`);
      }
      const next = decide(row);
      const at = new Date().toISOString();
      const moved = await m
        .createQueryBuilder()
        .update(WorkItemEntity)
        .set({ status: next.status, assignee: next.assignee, updatedAt: at, resolvedAt: isDone(next.status) ? (row.resolvedAt ?? at) : null })
        .where('id = :id AND status = :was AND updated_at = :stamp', { id, was: row.status, stamp: row.updatedAt })
        .execute();
      if (!moved.affected) throw new AppError('INVALID_STATE', `Work item ${id} changed meanwhile: read it again`, { status: row.status as WorkItemStatus });
      await m
        .getRepository(WorkItemHistoryEntity)
        .insert({ itemId: id, at, actor: user.username, action: next.action, fromStatus: row.status, toStatus: next.status, note: next.note });
    });
    return this.get(user, id);
  }

  private reach(user: AuthUser): Promise<Reach> {
    return reachOf(this.dataSource, user);
  }
}

/**
 * A caller's items by due time: still to do, or (with `finishedSince`) resolved or closed since then.
 * Both read `idx_work_items_caller_updated` (number, status, update time): the backlog, or the window.
 */
export function callerItems(dataSource: DataSource, callerNumber: string, limit: number, finishedSince?: string) {
  const q = dataSource
    .getRepository(WorkItemEntity)
    .createQueryBuilder('w')
    .where('w.caller_number = :caller', { caller: callerNumber })
    .andWhere('w.status IN (:...statuses)', { statuses: finishedSince === undefined ? ['open', 'in-progress'] : ['resolved', 'closed'] });
  if (finishedSince !== undefined) q.andWhere('w.updated_at >= :since', { since: finishedSince });
  return q.orderBy('w.due_at', 'ASC').addOrderBy('w.id', 'ASC').limit(limit);
}
