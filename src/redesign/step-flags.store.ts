import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { FlagReason, FlagSource, StepFlag } from '../../protocol/redesign';
import { sqlGet, sqlPort } from '../common/sql-port';

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

  async ofFlow(flowId: string): Promise<StepFlag[]> {
    const rows = await this.sql.all<StepFlag>(`SELECT ${COLUMNS} FROM step_flags WHERE flow_id = ? ORDER BY id`, [flowId]);
    return rows.map(normalised);
  }
}

const normalised = (r: StepFlag): StepFlag => ({ ...r, id: Number(r.id), version: Number(r.version), seq: r.seq === null ? null : Number(r.seq) });
