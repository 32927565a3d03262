import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CallTrace } from '../calls';
import { sqlPort, sqlRun } from '../common/sql-port';
import { DecisionLog } from '../decision-log/decision-log';
import { CallQa } from '../qa/call-qa.service';
import { traceOfTimeline } from '../qa/timeline';

const SLICE = 50;

/**
 * Calls that ended before the outbox existed and lack QA results or metrics were queued by the
 * migration without a trace; here, once, each is re-executed from its log into its timeline and
 * reduced to the trace the worker reads (a log that does not re-execute gets a trace saying so:
 * the worker stores the failed `replayable` check and no metrics, as before). In slices, between
 * which the event loop is free; the worker is woken after each.
 */
@Injectable()
export class LegacyTraces {
  private readonly logger = new Logger(LegacyTraces.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly log: DecisionLog,
    private readonly qa: CallQa,
  ) {}

  async traceAll(sliceDone: () => void): Promise<number> {
    const sql = sqlPort(this.dataSource);
    let done = 0;
    let after = 0;
    for (;;) {
      // Keyed on id: on PostgreSQL another node may be tracing the same rows (the update keeps the first trace).
      const rows = await sql.all<{ id: number; callId: string }>(
        `SELECT id, call_id AS "callId" FROM call_outbox WHERE trace IS NULL AND processed_at IS NULL AND id > ? ORDER BY id LIMIT ?`,
        [after, SLICE],
      );
      if (!rows.length) break;
      after = rows[rows.length - 1].id;
      const traces: [string, number][] = [];
      for (const { id, callId } of rows) traces.push([JSON.stringify(await this.traceOf(callId)), id]);
      await sql.transaction(function* () {
        for (const [trace, id] of traces) yield* sqlRun(`UPDATE call_outbox SET trace = ? WHERE id = ? AND trace IS NULL`, [trace, id]);
      });
      done += rows.length;
      sliceDone();
      await new Promise((r) => setImmediate(r));
    }
    if (done) this.logger.log(`traced ${done} call(s) that ended before the end-of-call outbox existed`);
    return done;
  }

  private async traceOf(callId: string): Promise<CallTrace> {
    const call = await this.log.findCall(callId);
    const header = {
      callId,
      agentId: call?.agentId ?? 'unknown',
      callerNumber: call?.callerNumber ?? '',
      startedAt: call?.startedAt ?? '',
      customer: {},
    };
    if (!call) return { ...header, status: 'abandoned', outcome: null, mode: null, entries: [], businesses: [], notReplayable: 'no such call' };
    try {
      const events = await this.log.events(callId);
      const started = events[0];
      if (!started || started.type !== 'call.started') throw new Error('the log does not start with call.started');
      const customer = (started.payload.customer ?? {}) as Record<string, unknown>;
      const timeline = await this.qa.timeline(call, 'zh-CN');
      return { ...header, customer: { region: customer.region, brand: customer.brand, tier: customer.tier }, ...traceOfTimeline(timeline) };
    } catch (e) {
      return { ...header, status: call.status, outcome: call.outcome, mode: null, entries: [], businesses: [], notReplayable: (e as Error).message };
    }
  }
}
