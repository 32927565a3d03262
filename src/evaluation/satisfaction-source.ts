import { Logger } from '@nestjs/common';
import type { SqlPort } from '../common/sql-port';
import { factWhere, type MetricsFilter } from '../metrics';

/** Per group (`k0`, `k1`… as the caller's keys select them): replies, the sum of their scores on 0–100, replies scoring ≥ 80. */
export type SatisfactionRow = Record<string, string | number | null> & { replies: number; scoreSum: number; satisfied: number };

/**
 * The port the satisfaction indicators read through. `keys` selects the grouping's columns over
 * `metric_calls m` (e.g. `m.region AS "k0", `), `groupBy` groups by them; the rows are the calls
 * matching the metrics filter that have replies. Nothing (no rows) reads as "no data".
 */
export interface SatisfactionFigures {
  figures(sql: SqlPort, f: MetricsFilter, keys: string, groupBy: string): Promise<SatisfactionRow[]>;
}
export const SATISFACTION_FIGURES = Symbol('SATISFACTION_FIGURES');

/**
 * Reads the replies of `satisfaction_replies` (src/satisfaction, issue 21 item 2) IF that table
 * exists: one row per reply with the `call_id` it was matched to and its `rating` (1–5, shown as
 * rating × 20 on 0–100). Until it exists, or if its shape differs, every satisfaction indicator is
 * "no data" (logged once), never an error.
 */
export class SatisfactionTableReader implements SatisfactionFigures {
  private readonly log = new Logger('Evaluation');
  private present = false;
  private warned = false;

  async figures(sql: SqlPort, f: MetricsFilter, keys: string, groupBy: string): Promise<SatisfactionRow[]> {
    if (!(await this.exists(sql))) return [];
    const w = factWhere(f, 'm');
    try {
      return await sql.all<SatisfactionRow>(
        `SELECT ${keys}COUNT(*) AS "replies", SUM(s.rating * 20) AS "scoreSum", SUM(CASE WHEN s.rating >= 4 THEN 1 ELSE 0 END) AS "satisfied"
         FROM satisfaction_replies s JOIN metric_calls m ON m.call_id = s.call_id WHERE s.rating IS NOT NULL AND ${w.sql}${groupBy}`,
        w.params,
      );
    } catch (e) {
      if (!this.warned) this.log.warn(`satisfaction_replies is not readable as (call_id, rating 1–5): ${(e as Error).message}`);
      this.warned = true;
      return [];
    }
  }

  private async exists(sql: SqlPort): Promise<boolean> {
    if (this.present) return true;
    const row =
      sql.dialect === 'postgres'
        ? await sql.get(`SELECT 1 AS one FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'satisfaction_replies'`)
        : await sql.get(`SELECT 1 AS one FROM sqlite_master WHERE type = 'table' AND name = 'satisfaction_replies'`);
    return (this.present = row !== undefined);
  }
}
