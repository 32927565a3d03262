/** The server's SQLite file read beside it (WAL readers do not disturb the writer): proof that a refused request changed nothing. */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { sleep } from './poll';

const open = (dataDir: string) => new Database(path.join(dataDir, 'laihua.sqlite'), { readonly: true, fileMustExist: true });
const jsonSafe = (_key: string, v: unknown) => (typeof v === 'bigint' ? String(v) : Buffer.isBuffer(v) ? v.toString('hex') : v);

/** A hash of every row of every table: equal before and after means no insert, update or delete anywhere. */
export function fingerprint(dataDir: string): Record<string, string> {
  const db = open(dataDir);
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as {
      name: string;
    }[];
    const digest: Record<string, string> = {};
    for (const { name } of tables) {
      // Some tables are WITHOUT ROWID: order the rows by their content instead.
      const rows = db
        .prepare(`SELECT * FROM "${name}"`)
        .raw()
        .all()
        .map((r) => JSON.stringify(r, jsonSafe))
        .sort();
      digest[name] = `${rows.length}:${createHash('sha256').update(rows.join('\n')).digest('hex').slice(0, 16)}`;
    }
    return digest;
  } finally {
    db.close();
  }
}

/** The fingerprint once an ended call's background work (QA checks, metrics) has landed and nothing moves. */
export async function settledFingerprint(dataDir: string, callId: string): Promise<Record<string, string>> {
  const deadline = Date.now() + 30_000;
  let last = '';
  while (Date.now() < deadline) {
    const db = open(dataDir);
    const recorded = db.prepare('SELECT 1 FROM metric_calls WHERE call_id = ?').get(callId) !== undefined;
    db.close();
    const digest = fingerprint(dataDir);
    const now = JSON.stringify(digest);
    if (recorded && now === last) return digest;
    last = now;
    await sleep(300);
  }
  throw new Error(`the ended call ${callId} was not recorded and settled within 30 s`);
}
