import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { CallbackContext } from '../../protocol/call-view';
import type { WorkItemDetail, WorkItemStatus } from '../../protocol/work-items';
import type { AuthUser } from '../auth/auth-user';
import { AppError } from '../common/app-error';
import { FlowCatalog } from '../flows/flow-catalog.service';
import { reachOf } from './work-item-reach';
import { isDone } from './work-item-rules';
import { WorkItemEntity, WorkItemHistoryEntity } from './work-items.entities';
import { WorkItems } from './work-items.service';

/** How far ahead a callback may be promised. */
export const CALLBACK_HORIZON_MS = 30 * 86_400_000;
/** A callback time a little in the past is "now" (the clocks of the desk's browser and the server differ). */
const CLOCK_SLACK_MS = 5 * 60_000;

/**
 * Callbacks (docs/FOLLOW-UP.md): a desk promises to call the caller back about an item. The promise
 * is a `callback` item of its own — same desk and caller, assigned to who made it, due when promised,
 * with the business flow its call opens on. Made as an outbound call (`call.start` with the item's
 * id): the call's `call.started` event logs the item's context, the item is in progress with the call
 * linked, and the call's end-of-call work resolves it (end-of-call/callback-outcome).
 */
@Injectable()
export class WorkItemCallbacks {
  constructor(
    private readonly dataSource: DataSource,
    private readonly items: WorkItems,
    private readonly catalog: FlowCatalog,
  ) {}

  async schedule(user: AuthUser, parentId: number, at: string, flowId: string, note: string | null): Promise<WorkItemDetail> {
    const when = Date.parse(at);
    const now = Date.now();
    if (!(when >= now - CLOCK_SLACK_MS && when <= now + CALLBACK_HORIZON_MS)) {
      throw new AppError('VALIDATION_FAILED', 'A callback is due from now to 30 days ahead', [
        { field: 'at', problems: ['must be from now to 30 days ahead'] },
      ]);
    }
    const flow = this.catalog.list().find((f) => f.id === flowId);
    if (!flow || flow.kind !== 'business') {
      throw new AppError('VALIDATION_FAILED', `No business flow '${flowId}' to call back on`, [
        { field: 'flowId', problems: ['must be a published business flow'] },
      ]);
    }
    const reach = await reachOf(this.dataSource, user);
    const id = await this.dataSource.transaction(async (m: EntityManager) => {
      const parent = await m.getRepository(WorkItemEntity).findOneBy({ id: parentId });
      if (!parent || !(reach.sees(parent.desk) || parent.assignee === user.sub)) throw new AppError('NOT_FOUND', `No work item ${parentId}`);
      if (parent.type === 'callback') throw new AppError('INVALID_STATE', `Work item ${parentId} is a callback: schedule on the item it follows up`);
      const stamp = new Date().toISOString();
      const dueAt = new Date(when).toISOString();
      // The parent's history entry numbers the callback: (call_id, source_seq) stays unique, and a
      // negative seq never meets one of the call's logged events.
      const entry = await m.getRepository(WorkItemHistoryEntity).insert({
        itemId: parentId,
        at: stamp,
        actor: user.username,
        action: 'callback-scheduled',
        fromStatus: parent.status,
        toStatus: parent.status,
        note: `callback due ${dueAt} on ${flowId}${note ? `: ${note}` : ''}`,
      });
      const created = await m.getRepository(WorkItemEntity).insert({
        type: 'callback',
        status: 'open',
        priority: parent.priority,
        callId: parent.callId,
        sourceSeq: -Number(entry.identifiers[0].id),
        flowId: parent.flowId,
        stepId: parent.stepId,
        business: parent.business,
        callerNumber: parent.callerNumber,
        customerTier: parent.customerTier,
        receiptId: parent.receiptId,
        desk: parent.desk,
        assignee: user.sub,
        rule: 'scheduled-callback',
        createdAt: stamp,
        dueAt,
        updatedAt: stamp,
        resolvedAt: null,
        parentId,
        callbackFlowId: flowId,
        callbackNote: note,
        outboundCallId: null,
      });
      const callbackId = Number(created.identifiers[0].id);
      await m.getRepository(WorkItemHistoryEntity).insert({
        itemId: callbackId,
        at: stamp,
        actor: user.username,
        action: 'created',
        fromStatus: null,
        toStatus: 'open',
        note: `callback on item ${parentId}`,
      });
      return callbackId;
    });
    return this.items.get(user, id);
  }

  /**
   * Before an outbound call starts: the callback the user may make now, to this number on this flow.
   * Its context is what `call.started` logs and the call's view shows.
   */
  async contextFor(user: AuthUser, itemId: number, callerNumber: string, flowId: string): Promise<CallbackContext> {
    const reach = await reachOf(this.dataSource, user);
    const repo = this.dataSource.getRepository(WorkItemEntity);
    const item = await repo.findOneBy({ id: itemId });
    if (!item || !(reach.sees(item.desk) || item.assignee === user.sub)) throw new AppError('NOT_FOUND', `No work item ${itemId}`);
    if (item.type !== 'callback') throw new AppError('INVALID_STATE', `Work item ${itemId} is a ${item.type}, not a callback`);
    if (isDone(item.status as WorkItemStatus))
      throw new AppError('INVALID_STATE', `Callback ${itemId} is ${item.status}`, { status: item.status as WorkItemStatus });
    if (item.assignee !== null && item.assignee !== user.sub && user.role === 'agent') throw new AppError('FORBIDDEN', `Callback ${itemId} is someone else's`);
    if (item.callerNumber !== callerNumber || item.callbackFlowId !== flowId) {
      throw new AppError('VALIDATION_FAILED', `Callback ${itemId} calls ${item.callerNumber} on ${item.callbackFlowId}`, [
        { field: item.callerNumber !== callerNumber ? 'callerNumber' : 'flowId', problems: ["must be the callback's"] },
      ]);
    }
    const parent = item.parentId === null ? null : await repo.findOneBy({ id: item.parentId });
    return {
      workItemId: item.id,
      about: {
        itemId: parent?.id ?? item.id,
        type: parent?.type ?? item.type,
        business: item.business,
        receiptId: item.receiptId,
        callId: item.callId,
      },
      note: item.callbackNote,
      dueAt: item.dueAt,
    };
  }

  /** The outbound call started: the callback is in progress, the user's, linked to the call (its end resolves it). */
  async called(user: AuthUser, itemId: number, callId: string): Promise<void> {
    await this.dataSource.transaction(async (m: EntityManager) => {
      const item = await m.getRepository(WorkItemEntity).findOneBy({ id: itemId });
      if (!item) return;
      const at = new Date().toISOString();
      await m.getRepository(WorkItemEntity).update({ id: itemId }, { status: 'in-progress', assignee: user.sub, outboundCallId: callId, updatedAt: at });
      await m
        .getRepository(WorkItemHistoryEntity)
        .insert({ itemId, at, actor: user.username, action: 'called', fromStatus: item.status, toStatus: 'in-progress', note: `outbound call ${callId}` });
    });
  }
}
