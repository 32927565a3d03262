import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bootExpectingFailure, REPO_ROOT } from '../support/server';

describe('the server refuses to start on bad configuration', () => {
  it('stops on a bad flow file, naming the file and the JSON path', () => {
    const flowsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'laihua-flows-'));
    const flow = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'flows/suspend-service.json'), 'utf8'));
    flow.machine.states.warn.on.ACKNOWLEDGED = { target: 'upsell', actions: ['sendFlowers'] };
    fs.writeFileSync(path.join(flowsDir, 'suspend-service.json'), JSON.stringify(flow));

    const { status, output } = bootExpectingFailure({ FLOWS_DIR: flowsDir });

    expect(status).not.toBe(0);
    expect(output).toContain('suspend-service.json');
    expect(output).toContain("$.machine.states['warn'].on.ACKNOWLEDGED.actions[0]: unknown action 'sendFlowers'");
    expect(output).not.toContain('laihua listening');
  });

  it('stops on a flow file naming an inherited or script-like implementation (flows never run code)', () => {
    const flowsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'laihua-flows-'));
    const flow = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'flows/suspend-service.json'), 'utf8'));
    flow.machine.states.warn.on.ACKNOWLEDGED = { target: 'upsell', guard: 'constructor', actions: ['() => process.exit(0)'] };
    fs.writeFileSync(path.join(flowsDir, 'suspend-service.json'), JSON.stringify(flow));

    const { status, output } = bootExpectingFailure({ FLOWS_DIR: flowsDir });

    expect(status).not.toBe(0);
    expect(output).toContain('suspend-service.json');
    expect(output).toMatch(/ACKNOWLEDGED\.(guard|actions)/);
    expect(output).not.toContain('laihua listening');
  });

  it('stops on an invalid environment, naming the variable', () => {
    const { status, output } = bootExpectingFailure({ BACKEND_TIMEOUT_MS: 'soon' });
    expect(status).not.toBe(0);
    expect(output).toContain('BACKEND_TIMEOUT_MS');
  });

  it('stops on a DATABASE_URL that is not PostgreSQL, naming it without echoing it', () => {
    const { status, output } = bootExpectingFailure({ DATABASE_URL: 'mysql://laihua:s3cret-pw@db.example/laihua' });
    expect(status).not.toBe(0);
    expect(output).toContain('DATABASE_URL must be postgres://');
    expect(output).not.toContain('s3cret-pw');
    expect(output).not.toContain('laihua listening');
  });

  it('stops on an invalid customers file', () => {
    const file = path.join(os.tmpdir(), `laihua-customers-${process.pid}.json`);
    fs.writeFileSync(file, JSON.stringify([{ msisdn: 'abc', name: 'x' }]));
    const { status, output } = bootExpectingFailure({ CUSTOMERS_FILE: file });
    fs.rmSync(file, { force: true });
    expect(status).not.toBe(0);
    expect(output).toMatch(/CUSTOMERS_FILE .*customers\.msisdn|customers\.0\.msisdn/);
  });

  it('stops on an invalid evaluation model, naming the file and the JSON path', () => {
    const file = path.join(os.tmpdir(), `laihua-evaluation-${process.pid}.json`);
    const model = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'flows/evaluation/evaluation-model.json'), 'utf8'));
    model.dimensions[1].subDimensions[1].indicators[1].formula = 'first-call-magic';
    fs.writeFileSync(file, JSON.stringify(model));
    const { status, output } = bootExpectingFailure({ EVALUATION_MODEL_FILE: file });
    fs.rmSync(file, { force: true });
    expect(status).not.toBe(0);
    expect(output).toContain(`${file}: $.dimensions[1].subDimensions[1].indicators[1].formula: unknown computed formula 'first-call-magic'`);
    expect(output).not.toContain('laihua listening');
  });
});

describe('the build', () => {
  it('writes every schema as code, so a boot compiles none of them', () => {
    const script = `
      require('./dist/app.module');
      const { schemaLoads } = require('./dist/common/schema-validator');
      const { flowSchemaSpecs, loadValidators } = require('./dist/flows/flow-validators');
      console.log(JSON.stringify({ flows: loadValidators().precompiled, flowKeys: flowSchemaSpecs().map((s) => s.key), data: schemaLoads() }));`;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(0);
    const loads = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { flows: boolean; flowKeys: string[]; data: { key: string; precompiled: boolean }[] };
    expect(loads.flows).toBe(true);
    // The flow file's schemas (the file, a condition, each named implementation's params) and every data file's.
    expect(loads.flowKeys).toEqual(expect.arrayContaining(['flow', 'flow-condition', 'flow-params-guards-rule']));
    expect(loads.data.map((l) => l.key).sort()).toEqual(
      [...loads.flowKeys, 'authoring-policies', 'evaluation-model', 'ivr-map', 'marketing-matrix', 'qa-call-checks', 'scorecard-form', 'service-levels'].sort(),
    );
    expect(loads.data.filter((l) => !l.precompiled)).toEqual([]);
  });
});
