/**
 * The decision log anchored outside the database (issue 17 item 7), against the real server and the
 * real offline verifier (dist/anchoring/verify-log.cli.js, a separate process): calls run, the
 * server anchors their chain heads; then someone with the database file drops the append-only
 * triggers, rewrites a decision and recomputes that call's whole chain from genesis, and deletes
 * another call outright. The chains alone still look intact; the verifier, reading the anchor file
 * and its public key, reports both.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chainEvents, verifyChain } from '../../src/decision-log/hash-chain';
import type { StoredEvent } from '../../src/decision-log/decision-log';
import { until } from '../support/poll';
import { CallDriver } from '../support/flow';
import { login } from '../support/http';
import { REPO_ROOT, startServer, type TestServer } from '../support/server';
import { WsClient } from '../support/ws-client';

const verifier = (dataDir: string) =>
  spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist/anchoring/verify-log.cli.js'), '--data-dir', dataDir], { encoding: 'utf8', timeout: 60_000 });

describe('chain anchors and the offline verifier (real server, real verifier process)', () => {
  let server: TestServer;
  afterAll(async () => {
    await server?.stop();
    server?.cleanup();
  });

  it('verifies an untouched log, then reports a rewritten-and-rehashed call and a deleted call', async () => {
    server = await startServer({ env: { CHAIN_ANCHOR_INTERVAL_MS: '200' } });
    const client = await WsClient.connect(server.port, await login(server.baseUrl, 'agent1'));
    const calls: CallDriver[] = [];
    for (const number of ['13800000001', '13800000001', '13800000001']) {
      const d = new CallDriver(client);
      await d.start(number);
      await d.toUpsell();
      calls.push(d);
    }
    await client.close();
    const anchorFile = path.join(server.dataDir, 'chain-anchors.jsonl');
    // A checkpoint of the running server (heads read on the long reads' thread) before the stop's own (on the main connection).
    await until(
      'a checkpoint while running',
      async () => (fs.existsSync(anchorFile) ? fs.readFileSync(anchorFile, 'utf8') : ''),
      (text) => text.includes('\n'),
      10_000,
    );
    await server.stop(); // a graceful stop anchors the last events too
    expect(fs.statSync(anchorFile).mode & 0o777).toBe(0o600);
    const anchored = new Set(
      fs
        .readFileSync(anchorFile, 'utf8')
        .trim()
        .split('\n')
        .flatMap((l) => (JSON.parse(l) as { heads: [string][] }).heads.map(([id]) => id)),
    );
    for (const d of calls) expect(anchored).toContain(d.callId);

    const clean = verifier(server.dataDir);
    expect(clean.stdout).toContain('VERIFIED');
    expect(clean.status).toBe(0);

    // The attack, with nothing but the database file.
    const [rewritten, , deleted] = calls.map((d) => d.callId);
    const db = new Database(path.join(server.dataDir, 'laihua.sqlite'));
    db.exec('DROP TRIGGER call_events_no_update; DROP TRIGGER call_events_no_delete');
    const rows = db.prepare('SELECT * FROM call_events WHERE call_id = ? ORDER BY seq').all(rewritten) as Record<string, unknown>[];
    const events = rows.map((r) => ({
      callId: r.call_id,
      seq: r.seq,
      type: r.type,
      payload: r.seq === 2 ? { ...JSON.parse(r.payload as string), forged: 'by someone with the file' } : JSON.parse(r.payload as string),
      agentId: r.agent_id,
      flowId: r.flow_id,
      flowVersion: r.flow_version,
      stateBefore: r.state_before,
      flowIdAfter: r.flow_id_after,
      flowVersionAfter: r.flow_version_after,
      stateAfter: r.state_after,
      at: r.at,
    })) as StoredEvent[];
    const forged = chainEvents(events);
    expect(verifyChain(forged).intact).toBe(true); // the rehashed chain is self-consistent
    const update = db.prepare('UPDATE call_events SET payload = ?, prev_hash = ?, hash = ? WHERE call_id = ? AND seq = ?');
    for (const e of forged) update.run(JSON.stringify(e.payload), e.prevHash, e.hash, e.callId, e.seq);
    db.prepare('DELETE FROM call_events WHERE call_id = ?').run(deleted);
    db.prepare('DELETE FROM calls WHERE id = ?').run(deleted);
    db.close();

    const tampered = verifier(server.dataDir);
    expect(tampered.status).toBe(1);
    expect(tampered.stdout).toContain('VERIFY FAILED');
    expect(tampered.stdout).toMatch(new RegExp(`rewritten ${rewritten} \\(anchor line \\d+\\): event seq \\d+ hashes`));
    expect(tampered.stdout).toMatch(new RegExp(`deleted ${deleted} \\(anchor line \\d+\\)`));
    expect(tampered.stdout).not.toMatch(/^chain /m); // the chains themselves look intact
  });
});
