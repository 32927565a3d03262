/**
 * What a crash recovery's reading depends on, in one SQLite statement: the migrations applied, the
 * payload keys destroyed, the log's last event (call_events only grows: any append raises it; a
 * call's summary row is written only at its start and end) and which calls are active. Two equal
 * fingerprints mean every active call's log read at the first is its log at the second.
 * (recovery-prefetch.ts: a read begun before the boot is used only if it still holds.)
 */
export const RECOVERY_FINGERPRINT_SQL = `SELECT
  (SELECT count(*) FROM migrations) AS migrations,
  (SELECT count(*) FROM call_keys WHERE erased_at IS NOT NULL) AS erased,
  (SELECT coalesce(max(id), 0) FROM call_events) AS "lastEvent",
  (SELECT group_concat(id, ',' ORDER BY id) FROM calls WHERE status = 'active') AS active`;

export interface RecoveryFingerprintRow {
  migrations: number;
  erased: number;
  lastEvent: number;
  active: string | null;
}

export function recoveryFingerprint(row: RecoveryFingerprintRow): string {
  return `${row.migrations}|${row.erased}|${row.lastEvent}|${row.active ?? ''}`;
}
