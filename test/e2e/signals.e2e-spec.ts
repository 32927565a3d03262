/**
 * Signals an operator sends a running server: Node's diagnostic signal (SIGUSR2: a diagnostic
 * report with `--report-on-signal`, a heap snapshot with `--heapsnapshot-signal`) leaves the hotline
 * answering its agents; the termination signals stop it through its shutdown hooks.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { until } from '../support/poll';
import { useServer } from '../support/use-server';

const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'laihua-reports-'));
/** The reports written in full (a file appears before Node has finished writing it). */
const reportsWritten = async (): Promise<{ header: { trigger: string } }[]> =>
  fs
    .readdirSync(reports)
    .filter((f) => f.startsWith('report.') && f.endsWith('.json'))
    .flatMap((f) => {
      try {
        return [JSON.parse(fs.readFileSync(path.join(reports, f), 'utf8'))];
      } catch {
        return [];
      }
    });

/** The calls whose chain heads the anchor file names. */
const anchoredCalls = (dataDir: string): string[] =>
  fs
    .readFileSync(path.join(dataDir, 'chain-anchors.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .flatMap((line) => (JSON.parse(line) as { heads: [string][] }).heads.map(([callId]) => callId));

describe('signals sent to the server', () => {
  const server = useServer({ lifetime: 'per-test', env: { NODE_OPTIONS: `--report-on-signal --report-directory=${reports}` } });
  afterAll(() => fs.rmSync(reports, { recursive: true, force: true }));

  it('SIGUSR2 writes the diagnostic report and the server goes on serving calls, before and after', async () => {
    await server.start();
    const agent = await server.driver('agent1');
    const before = await agent.start('13800000001');
    server.signal('SIGUSR2');
    const [report] = await until('the diagnostic report', reportsWritten, (written) => written.length > 0);
    expect(report.header.trigger).toBe('Signal');
    // Still up: its health, the call begun before the signal, and a new one.
    expect((await fetch(`${server.baseUrl}/api/health`)).status).toBe(200);
    expect((await agent.attach(before.data.callId)).data.seq).toBe(before.data.seq);
    expect((await (await server.driver('agent1')).start('13800000002')).data.status).toBe('active');
    expect(server.exited).toBe(false);
  });

  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)('%s stops it through its shutdown hooks: the last call is anchored on the way out', async (signal) => {
    // No periodic anchor within the test: only the shutdown hook's own (chain-anchor.service.ts) can name the call.
    await server.start({ env: { CHAIN_ANCHOR_INTERVAL_MS: '3600000' } });
    const call = await (await server.driver('agent1')).start('13800000001');
    await server.kill(signal);
    // Ended by its own hand once the hooks ran (the signal's default action would end it by the signal, hooks unrun).
    expect(server.exitStatus).toBe('code 0, signal null');
    expect(anchoredCalls(server.dataDir)).toContain(call.data.callId);
  });
});
