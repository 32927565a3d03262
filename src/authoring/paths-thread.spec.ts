import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppError } from '../common/app-error';
import { loadCustomerFixtures } from '../backend/simulator/customer-fixtures';
import { loadMatrixFile } from '../flows/marketing-matrix';
import { enumerateFlow, fileFlows, FLOWS_DIR, labelName, MATRIX_FILE, profilesOf } from '../simulation';
import { tsWorker } from '../testing/ts-worker';
import type { PathsWorkerData } from './flow-paths.worker';
import { PathsThread } from './paths-thread';
import type { PathsJob } from './version-paths';

const CUSTOMERS = path.resolve(__dirname, '../backend/simulator/demo-customers.json');
const WORKER_TS = path.join(__dirname, 'flow-paths.worker.ts');

const tsPathsWorker = (workerData: PathsWorkerData, file = WORKER_TS): Worker => tsWorker(file, workerData);

const job = (flowId: string, definition = fs.readFileSync(path.join(FLOWS_DIR, `${flowId}.json`), 'utf8')): PathsJob => ({
  flowId,
  version: (JSON.parse(definition) as { version: number }).version,
  definition,
  matrix: loadMatrixFile(MATRIX_FILE).matrix,
  delays: { backendTimeout: 10_000 },
});

/** The answer as the endpoint built it in-process before the worker: enumerateFlow over a full FlowResolver. */
async function inProcess(flowId: string): Promise<unknown> {
  const flows = fileFlows([flowId, 'hang-up']);
  const coverage = enumerateFlow(flowId, flows.get(flowId), await profilesOf(loadCustomerFixtures(CUSTOMERS)), { flows, maxPaths: 200 });
  const paths = coverage.paths.map((p) => ({
    key: p.key,
    kind: p.kind,
    outcome: p.outcome,
    agentSteps: p.agentSteps,
    steps: p.steps.map((s) => ({ state: s.state, via: labelName(s.label) })),
    customers: [...p.byCustomer.keys()],
  }));
  const success = paths.filter((p) => p.kind === 'simple' && coverage.analysis.successOutcomes.includes(p.outcome)).map((p) => p.agentSteps);
  return { paths, shortestSuccess: success.length ? Math.min(...success) : null };
}

describe('PathsThread', () => {
  const threads: PathsThread[] = [];
  const thread = (options: ConstructorParameters<typeof PathsThread>[1] = { spawn: (d) => tsPathsWorker(d) }, customers = CUSTOMERS) => {
    const t = new PathsThread(customers, options);
    threads.push(t);
    return t;
  };
  afterEach(() => Promise.all(threads.splice(0).map((t) => t.close())));

  it('answers on the worker thread exactly what the in-process enumeration gives', async () => {
    const t = thread();
    expect(t.threaded).toBe(true);
    for (const flowId of ['bill-inquiry', 'suspend-service']) {
      const result = await t.run(job(flowId));
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
      expect(JSON.parse(result.json)).toEqual(await inProcess(flowId));
    }
  });

  it('runs in-process where no built worker exists (Jest), with the same answer', async () => {
    const t = thread({});
    expect(t.threaded).toBe(false);
    const result = await t.run(job('bill-inquiry'));
    expect(result.ok && JSON.parse(result.json)).toEqual(await inProcess('bill-inquiry'));
  });

  it('reports a definition that does not load as problems, not as a failure', async () => {
    const result = await thread().run(job('bill-inquiry', JSON.stringify({ id: 'bill-inquiry', version: 9, machine: 'no' })));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.length).toBeGreaterThan(0);
  });

  it('maps a failure in the worker to a typed error, and the next job gets a working thread', async () => {
    const broken = thread({ spawn: (d) => tsPathsWorker(d) }, '/nonexistent/customers.json');
    await expect(broken.run(job('bill-inquiry'))).rejects.toMatchObject({ code: 'INTERNAL' });
    const dead = thread({ spawn: (d) => (spawned++ ? tsPathsWorker(d) : new Worker('process.exit(3)', { eval: true })) });
    let spawned = 0;
    await expect(dead.run(job('bill-inquiry'))).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('exited (3)') });
    expect((await dead.run(job('bill-inquiry'))).ok).toBe(true);
  });

  it('gives up on a job past the timeout with a typed error instead of hanging', async () => {
    const t = thread({ spawn: (d) => tsPathsWorker(d), timeoutMs: 1 });
    const failure = await t.run(job('suspend-service')).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('longer than 1 ms') });
  });
});
