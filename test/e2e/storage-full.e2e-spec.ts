/**
 * The database's storage fails while the server runs — the disk fills up, or the files become
 * unwritable — and comes back. Decisions are refused with LOG_UNAVAILABLE (nothing acknowledged,
 * the call stays where it was), the server stays up, and once the storage is back the same
 * decision goes through; nothing acknowledged before, during or after is lost, also across a
 * SIGKILL and restart.
 *
 * Real failures, not mocks: a small tmpfs mounted as DATA_DIR and filled with a ballast file
 * (ENOSPC → SQLITE_FULL), and `chattr +i` on the database and WAL files (EPERM on the open
 * descriptors → SQLITE_IOERR). Both need root with CAP_SYS_ADMIN / CAP_LINUX_IMMUTABLE, which the
 * dev machines and CI have; where they are missing the case is skipped and says why.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CallDriver, expectStep } from '../support/flow';
import { asView, getCall, http, login, replayCall, type ViewFrame, type WsClient } from '../support/client';
import { canMountTmpfs, run, tmpfsDataDir } from '../support/tmpfs';
import { useServer } from '../support/use-server';

/** Does `chattr +i` make writes through an already open descriptor fail on the temp file system? */
function canMakeImmutable(): string | null {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'laihua-chattr-probe-'));
  const file = path.join(dir, 'probe');
  const fd = fs.openSync(file, 'w');
  try {
    run('chattr', ['+i', file]);
    try {
      fs.writeSync(fd, 'x');
      return `chattr +i does not stop writes to open files on ${os.tmpdir()}`;
    } catch {
      return null;
    } finally {
      run('chattr', ['-i', file]);
    }
  } catch (e) {
    return `chattr +i is not available here (${(e as Error).message.split('\n')[0]})`;
  } finally {
    fs.closeSync(fd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Every view the test's clients received: each must be in the log at its seq, on its step. */
type Acknowledged = { callId: string; seq: number; step: string };

async function expectAllInLog(baseUrl: string, token: string, acknowledged: Acknowledged[]): Promise<void> {
  const byCall = new Map<string, Acknowledged[]>();
  for (const a of acknowledged) byCall.set(a.callId, [...(byCall.get(a.callId) ?? []), a]);
  const missing: string[] = [];
  for (const [callId, views] of byCall) {
    const call = await getCall(baseUrl, token, callId);
    for (const v of views) {
      const e = call.events[v.seq - 1];
      if (!e || e.seq !== v.seq || e.stateAfter !== v.step)
        missing.push(`${callId} seq ${v.seq} '${v.step}': log has ${e ? `${e.seq} '${e.stateAfter}'` : 'nothing'}`);
    }
    const replay = await replayCall(baseUrl, token, callId);
    if (!replay.deterministic || !replay.chain.intact) missing.push(`${callId}: replay ${JSON.stringify(replay)}`);
  }
  expect(missing).toEqual([]);
}

describe('storage full or unwritable while the server runs', () => {
  // Each test starts its own server on the data directory it breaks; killed before the undo below.
  const server = useServer({ lifetime: 'per-test' });
  const undo: (() => void)[] = [];

  afterEach(async () => {
    for (const u of undo.splice(0).reverse()) {
      try {
        u();
      } catch {
        /* best effort */
      }
    }
  });

  /**
   * The scenario both failures share: a call in progress, the storage fails (`fail` returns once
   * writes are refused), decisions and new calls are refused with LOG_UNAVAILABLE while reads and
   * the server keep working, the storage comes back, the same decision goes through, and the
   * whole story survives a SIGKILL.
   */
  async function outage(dataDir: string, fail: (client: WsClient, acknowledged: Acknowledged[]) => Promise<void>, restore: () => void, reason: RegExp) {
    // No periodic checkpoint during the outage: once a checkpoint has copied every frame back, the
    // next commit starts the WAL over in space the file already has — writes would go through
    // again on a full disk, depending only on when the checkpoint ran.
    await server.start({ dataDir, env: { WAL_CHECKPOINT_INTERVAL_MS: '3600000' } });
    const token = await login(server.baseUrl, 'agent1');
    const client = await server.connect('agent1');
    const acknowledged: Acknowledged[] = [];
    const ack = (v: ViewFrame) => {
      acknowledged.push({ callId: v.data.callId, seq: v.data.seq, step: v.data.step.id });
      return v;
    };

    const d = new CallDriver(client);
    ack(await d.start('13800000001'));
    ack(await d.decide('continue', undefined, 'confirm-reason'));
    const before = d.view.data;

    await fail(client, acknowledged);

    // Refused, typed, nothing acknowledged; asking again is refused the same way.
    for (let i = 0; i < 2; i++) {
      const refused = await client.request('call.decide', {
        callId: before.callId,
        seq: before.seq,
        option: 'continue',
        input: { reason: 'travel' },
      });
      expect(refused.event).toBe('call.error');
      expect(refused.data).toMatchObject({
        code: 'LOG_UNAVAILABLE',
        message: expect.stringMatching(/decision log cannot be written.*nothing was recorded/),
        details: { reason: expect.stringMatching(reason) },
      });
    }
    const newCall = await client.request('call.start', { callerNumber: '13800000002', flowId: 'suspend-service' });
    expect(newCall.data).toMatchObject({ code: 'LOG_UNAVAILABLE' });
    // The call has not moved, the server answers reads.
    const attached = asView(await client.request('call.attach', { callId: before.callId }));
    expect(attached.data).toMatchObject({ seq: before.seq, status: 'active', step: { id: 'confirm-reason' } });
    expect((await http(server.baseUrl, 'GET', '/api/health')).status).toBe(200);
    expect((await getCall(server.baseUrl, token, before.callId)).seq).toBe(before.seq);

    restore();

    // The same decision, at the same seq, goes through once the storage is back (no restart).
    const resumed = await client.request('call.decide', {
      callId: before.callId,
      seq: before.seq,
      option: 'continue',
      input: { reason: 'travel' },
    });
    ack(expectStep(asView(resumed, 'the refused decision, again, after the storage came back'), 'warn'));
    d.views.push(resumed as ViewFrame);
    ack(await d.decide('acknowledged', undefined, 'upsell'));
    ack(await d.decide('decline', undefined, 'verify'));
    ack(await d.decide('password', undefined, 'checking-password'));
    ack(await d.pushed('execute'));
    ack(await d.decide('execute', undefined, 'executing'));
    ack(await d.pushed('remind'));
    ack(await d.decide('acknowledged', undefined, 'close'));
    ack(await d.decide('submit', undefined, 'completed'));
    d.expectConsecutiveSeq();
    await expectAllInLog(server.baseUrl, token, acknowledged);

    // Nothing acknowledged is lost across a SIGKILL either.
    await server.kill('SIGKILL');
    await server.restart();
    await expectAllInLog(server.baseUrl, token, acknowledged);
    return acknowledged;
  }

  const mountProblem = canMountTmpfs();
  (mountProblem ? it.skip : it)(
    `disk full: a small tmpfs DATA_DIR filled with ballast → SQLITE_FULL → LOG_UNAVAILABLE; space freed → goes on${mountProblem ? ` (skipped: ${mountProblem})` : ''}`,
    async () => {
      const dataDir = tmpfsDataDir('laihua-full-', 24, undo);
      const ballast = path.join(dataDir, 'ballast');
      let writesBeforeFull = 0;

      await outage(
        dataDir,
        async (client, acknowledged) => {
          // Fill the file system to the last block.
          const fd = fs.openSync(ballast, 'w');
          const chunk = Buffer.alloc(64 * 1024, 1);
          try {
            for (;;) fs.writeSync(fd, chunk);
          } catch (e) {
            expect((e as NodeJS.ErrnoException).code).toBe('ENOSPC');
          }
          for (let small = Buffer.alloc(512, 1); ;) {
            try {
              fs.writeSync(fd, small);
            } catch {
              break;
            }
          }
          fs.closeSync(fd);
          // SQLite reuses the WAL space it already has: calls go on until a commit needs a new block.
          for (let i = 0; i < 2000; i++) {
            const started = await client.request('call.start', { callerNumber: '13800000008', flowId: 'suspend-service' });
            if (started.event === 'call.error') {
              expect(started.data.code).toBe('LOG_UNAVAILABLE');
              return;
            }
            acknowledged.push({ callId: started.data.callId, seq: 1, step: started.data.step.id });
            writesBeforeFull++;
            const hungUp = await client.request('call.hangup', { callId: started.data.callId });
            if (hungUp.event === 'call.error') {
              expect(hungUp.data.code).toBe('LOG_UNAVAILABLE');
              return;
            }
            acknowledged.push({ callId: hungUp.data.callId, seq: 2, step: hungUp.data.step.id });
            writesBeforeFull++;
          }
          throw new Error('the log never refused a write on a full file system');
        },
        () => fs.rmSync(ballast),
        /^SQLITE_(FULL|IOERR)/,
      );
      // eslint-disable-next-line no-console
      console.log(`disk full: ${writesBeforeFull} writes went into WAL space already allocated before the first refusal`);
    },
  );

  const chattrProblem = canMakeImmutable();
  (chattrProblem ? it.skip : it)(
    `unwritable: chattr +i on the database and WAL files → SQLITE_IOERR → LOG_UNAVAILABLE; cleared → goes on${chattrProblem ? ` (skipped: ${chattrProblem})` : ''}`,
    async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'laihua-readonly-'));
      undo.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
      const files = ['laihua.sqlite', 'laihua.sqlite-wal'].map((f) => path.join(dataDir, f));
      const writable = () => files.forEach((f) => run('chattr', ['-i', f]));
      undo.push(writable);
      await outage(
        dataDir,
        async () => {
          files.forEach((f) => run('chattr', ['+i', f]));
        },
        writable,
        /^SQLITE_(IOERR|READONLY|CANTOPEN)/,
      );
    },
  );
});
