import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { sqliteHandle } from '../common/sqlite-handle';
import { sqlPort } from '../common/sql-port';
import { loadConfig } from '../config/app-config';
import { chainEvents } from '../decision-log/hash-chain';
import { SqliteDecisionLog } from '../decision-log/sqlite-decision-log';
import { callRecord, loggedEvent } from '../testing/log-records';
import { openTestDatabase } from '../testing/sqlite-data-source';
import { readPublicKey } from './anchor-keys';
import { readAnchors } from './anchor-record';
import { ChainAnchorService } from './chain-anchor.service';
import { verifyLog } from './verify-log';

describe('chain anchors (signed checkpoints outside the database) and the offline verifier', () => {
  let dataSource: DataSource;
  let dir: string;
  let anchors: ChainAnchorService;
  let log: SqliteDecisionLog;
  const config = () => loadConfig({ DATA_DIR: dir, CHAIN_ANCHOR_INTERVAL_MS: '3600000' });
  const anchorText = () => fs.readFileSync(config().chainAnchorFile, 'utf8');
  const publicKey = () => readPublicKey(`${config().chainAnchorKeyFile}.pub`);
  const verify = () => verifyLog(sqlPort(dataSource), anchorText(), publicKey());
  const appendCall = async (id: string, events: number) => {
    for (let seq = 1; seq <= events; seq++) await log.append(loggedEvent(id, seq), callRecord(id, seq));
  };

  beforeEach(async () => {
    ({ dataSource, dir } = await openTestDatabase());
    log = new SqliteDecisionLog(dataSource);
    anchors = new ChainAnchorService(config(), dataSource);
    anchors.onApplicationBootstrap();
  });
  afterEach(async () => {
    await anchors.onApplicationShutdown();
    await dataSource.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('anchors the heads of the calls that moved since the last checkpoint, signed and linked line to line; the key file is 0600', async () => {
    await appendCall('c1', 3);
    await appendCall('c2', 2);
    await anchors.anchorNow();
    await appendCall('c3', 1);
    await log.append(loggedEvent('c1', 4), callRecord('c1', 4));
    await anchors.anchorNow();
    await anchors.anchorNow(); // nothing new: no line
    const lines = anchorText()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { n: number; heads: [string, number, string][] });
    expect(lines.map((l) => l.n)).toEqual([1, 2]);
    expect(lines[0].heads.map(([id, seq]) => [id, seq])).toEqual([
      ['c1', 3],
      ['c2', 2],
    ]);
    expect(lines[1].heads.map(([id, seq]) => [id, seq])).toEqual([
      ['c1', 4],
      ['c3', 1],
    ]);
    const read = readAnchors(anchorText(), publicKey());
    expect(read.findings).toEqual([]);
    expect(read.heads.get('c1')).toMatchObject({ seq: 4, line: 2 });
    expect(fs.statSync(config().chainAnchorKeyFile).mode & 0o777).toBe(0o600);
    expect(fs.statSync(config().chainAnchorFile).mode & 0o777).toBe(0o600);
    expect((await verify()).findings).toEqual([]);
  });

  it('goes on from the last line after a restart (numbering and links continue)', async () => {
    await appendCall('c1', 2);
    await anchors.onApplicationShutdown(); // graceful stop anchors what is new
    await appendCall('c2', 1);
    anchors = new ChainAnchorService(config(), dataSource);
    anchors.onApplicationBootstrap();
    await anchors.anchorNow();
    const read = readAnchors(anchorText(), publicKey());
    expect(read.lines).toBe(2);
    expect(read.findings).toEqual([]);
    expect([...read.heads.keys()].sort()).toEqual(['c1', 'c2']);
  });

  it('a line torn by a crash mid-append does not stop the next start: anchoring goes on after it and only the torn line is reported', async () => {
    await appendCall('c1', 2);
    await anchors.onApplicationShutdown();
    fs.appendFileSync(config().chainAnchorFile, '{"v":1,"n":2,"at":"2026-'); // the crash
    await appendCall('c2', 1);
    anchors = new ChainAnchorService(config(), dataSource);
    anchors.onApplicationBootstrap();
    await anchors.anchorNow();
    const read = readAnchors(anchorText(), publicKey());
    expect(read.lines).toBe(3);
    expect(read.findings.map((f) => [f.line, f.detail])).toEqual([[2, 'not JSON']]);
    expect([...read.heads.keys()].sort()).toEqual(['c1', 'c2']);
  });

  it('reports a log rewritten with its chain recomputed from genesis, and a deleted call, which the chain alone cannot see', async () => {
    await appendCall('c1', 3);
    await appendCall('c2', 2);
    await appendCall('c3', 2);
    await anchors.anchorNow();
    // The attacker with the database file: drop the append-only triggers, rewrite a payload, rehash the whole chain, delete a call.
    const db = sqliteHandle(dataSource);
    db.exec('DROP TRIGGER call_events_no_update; DROP TRIGGER call_events_no_delete');
    const forged = chainEvents([1, 2, 3].map((seq) => (seq === 2 ? { ...loggedEvent('c1', 2), payload: { forged: true } } : loggedEvent('c1', seq))));
    for (const e of forged) {
      db.prepare('UPDATE call_events SET payload = ?, prev_hash = ?, hash = ? WHERE call_id = ? AND seq = ?').run(
        JSON.stringify(e.payload),
        e.prevHash,
        e.hash,
        'c1',
        e.seq,
      );
    }
    db.prepare(`DELETE FROM call_events WHERE call_id = 'c3'`).run();
    const report = await verify();
    expect(report.findings.filter((f) => f.kind === 'chain')).toEqual([]); // the chains themselves look intact
    expect(report.findings.map((f) => [f.kind, f.callId])).toEqual([
      ['rewritten', 'c1'],
      ['deleted', 'c3'],
    ]);
  });

  it('reports an altered, removed or foreign anchor line', async () => {
    for (const id of ['c1', 'c2', 'c3']) {
      await appendCall(id, 1);
      await anchors.anchorNow();
    }
    const file = config().chainAnchorFile;
    const lines = anchorText().trim().split('\n');
    fs.writeFileSync(file, [lines[0], lines[2]].join('\n') + '\n'); // the middle line removed
    expect(readAnchors(anchorText(), publicKey()).findings.map((f) => f.line)).toEqual([2]);
    fs.writeFileSync(file, [lines[0], lines[1].replace('"c2"', '"cX"'), lines[2]].join('\n') + '\n'); // a head altered
    // Its signature fails, and the next line no longer links to it.
    expect(readAnchors(anchorText(), publicKey()).findings.map((f) => [f.line, f.detail.split(' (')[0]])).toEqual([
      [2, 'the signature does not verify'],
      [3, 'does not link to the line before it'],
    ]);
    const other = path.join(dir, 'other');
    fs.mkdirSync(other);
    const foreign = new ChainAnchorService(loadConfig({ DATA_DIR: other }), dataSource);
    foreign.onApplicationBootstrap(); // a key of its own
    expect(readAnchors(lines.join('\n'), readPublicKey(path.join(other, 'chain-anchor-key.pem.pub'))).findings).toHaveLength(3);
    await foreign.onApplicationShutdown();
  });
});
