import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { FlagReason, FlagSource, StepFlag } from '../../protocol/redesign';
import { sqlGet, sqlPort } from '../common/sql-port';
import { readerSqlPort } from '../common/sqlite-reader';
import type { FlagCount } from './backlog-ranking';

export interface NewFlag {
  source: FlagSource;
  flowId: string;
  version: number;
  stepId: string;
  reason: FlagReason;
  text: string;
  callId: string;
  seq: number;
  actor: string;
  at: string;
}

/** The most flags `GET /api/redesign/:flowId/flags` lists: the newest, oldest first. */
export const LISTED_FLAGS = 1_000;

const COLUMNS = `id, source, flow_id AS "flowId", flow_version AS version, step_id AS "stepId", reason, text, call_id AS "callId", call_seq AS seq, actor, at`;

/**
 * `step_flags` (migration Satisfaction1765620000000): QA's flags are these audited rows (who, when,
 * which view); an agent's flag is its `step.flag` call event, indexed here by (call, seq) once logged.
 * One flag per (call, view): QA flagging the view twice is refused.
 */
@Injectable()
export class StepFlags {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get sql() {
    return sqlPort(this.dataSource);
  }

  /** The flag stored, or null when the (call, seq) already has one. */
  async add(f: NewFlag): Promise<StepFlag | null> {
    const row = await this.sql.transaction(function* () {
      return yield* sqlGet<StepFlag>(
        `INSERT INTO step_flags (source, flow_id, flow_version, step_id, reason, text, call_id, call_seq, actor, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (call_id, call_seq) DO NOTHING RETURNING ${COLUMNS}`,
        [f.source, f.flowId, f.version, f.stepId, f.reason, f.text, f.callId, f.seq, f.actor, f.at],
      );
    });
    return row ? normalised(row) : null;
  }

  /**
   * The newest LISTED_FLAGS flags of a business, oldest first, from idx_step_flags_flow_id on the
   * long-reads port (the read thread on SQLite): a business's flags grow with every call flagged.
   */
  async ofFlow(flowId: string): Promise<StepFlag[]> {
    const rows = await readerSqlPort(this.dataSource).all<StepFlag>(
      `SELECT * FROM (SELECT ${COLUMNS} FROM step_flags WHERE flow_id = ? ORDER BY id DESC LIMIT ${LISTED_FLAGS}) AS newest ORDER BY id`,
      [flowId],
    );
    return rows.map(normalised);
  }

  /** Every flag of a business counted by version, step and reason (the redesign backlog), on the long-reads port. */
  async countsOf(flowId: string): Promise<FlagCount[]> {
    const rows = await readerSqlPort(this.dataSource).all<{ version: number | string; stepId: string; reason: FlagReason; count: number | string }>(
      `SELECT flow_version AS version, step_id AS "stepId", reason, COUNT(*) AS count FROM step_flags WHERE flow_id = ? GROUP BY flow_version, step_id, reason`,
      [flowId],
    );
    return rows.map((r) => ({ version: Number(r.version), stepId: r.stepId, reason: r.reason, count: Number(r.count) }));
  }
}

const normalised = (r: StepFlag): StepFlag => ({ ...r, id: Number(r.id), version: Number(r.version), seq: r.seq === null ? null : Number(r.seq) });
