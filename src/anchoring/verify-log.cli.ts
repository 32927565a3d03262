/**
 * Offline verification of the decision log (no server needed):
 *
 *   node dist/anchoring/verify-log.cli.js --data-dir ./data
 *   node dist/anchoring/verify-log.cli.js --database-url postgres://… --anchors /mnt/worm/chain-anchors.jsonl --public-key /etc/laihua/anchor.pub
 *
 * Defaults follow the server's: DATA_DIR/laihua.sqlite, DATA_DIR/chain-anchors.jsonl and
 * DATA_DIR/chain-anchor-key.pem.pub. Prints a summary and every finding; exit 0 when the log and
 * its anchors agree, 1 when something is wrong, 2 when it could not be checked.
 */
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Pool } from 'pg';
import { ownSqlPort } from '../common/sql-port';
import { readPublicKey } from './anchor-keys';
import { verifyLog } from './verify-log';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

async function main(): Promise<number> {
  const dataDir = path.resolve(option('data-dir') ?? process.env.DATA_DIR ?? './data');
  const databaseUrl = option('database-url') ?? process.env.DATABASE_URL ?? '';
  const anchors = path.resolve(dataDir, option('anchors') ?? process.env.CHAIN_ANCHOR_FILE ?? 'chain-anchors.jsonl');
  const publicKey = path.resolve(dataDir, option('public-key') ?? `${process.env.CHAIN_ANCHOR_KEY_FILE || 'chain-anchor-key.pem'}.pub`);
  const anchorText = fs.existsSync(anchors) ? fs.readFileSync(anchors, 'utf8') : '';
  if (!anchorText) console.log(`warning: no anchors at ${anchors}: only the chains themselves are checked (a rewrite that rehashed them is invisible)`);
  const key = readPublicKey(publicKey);
  const pool = databaseUrl ? new Pool({ connectionString: databaseUrl, max: 2 }) : null;
  const sqlite = pool ? null : new Database(path.join(dataDir, 'laihua.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const report = await verifyLog(ownSqlPort(pool ? { postgres: pool } : { sqlite: sqlite! }), anchorText, key);
    console.log(
      JSON.stringify({
        calls: report.calls,
        events: report.events,
        anchorLines: report.anchorLines,
        anchoredCalls: report.anchoredCalls,
        findings: report.findings.length,
      }),
    );
    for (const f of report.findings) console.log(`${f.kind}${f.callId ? ` ${f.callId}` : ''}${f.line ? ` (anchor line ${f.line})` : ''}: ${f.detail}`);
    console.log(report.findings.length ? 'VERIFY FAILED' : 'VERIFIED: every chain intact and every anchored head present');
    return report.findings.length ? 1 : 0;
  } finally {
    sqlite?.close();
    await pool?.end();
  }
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(`verify-log could not check the log: ${e.message}`);
    process.exit(2);
  },
);
