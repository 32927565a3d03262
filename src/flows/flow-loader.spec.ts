import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileFlow, FlowLoadError, loadFlowDirectory, loadFlowFile } from './flow-loader';
import { createRegistry } from './registry/registry';

const registry = createRegistry({ backendTimeout: 10_000 });
const SUSPEND = path.resolve(__dirname, '../../flows/suspend-service.json');
const suspend = () => JSON.parse(fs.readFileSync(SUSPEND, 'utf8'));

function problemsOfFlow(mutate: (flow: any) => void): { path: string; message: string }[] {
  const flow = suspend();
  mutate(flow);
  try {
    compileFlow(flow, registry, 'broken.json');
  } catch (e) {
    expect(e).toBeInstanceOf(FlowLoadError);
    return (e as FlowLoadError).problems;
  }
  throw new Error('the broken flow was accepted');
}

describe('flow loading', () => {
  it('loads the suspend-service reference flow', () => {
    const flow = loadFlowFile(SUSPEND, registry);
    expect(flow.definition.id).toBe('suspend-service');
    expect(flow.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(flow.definition.machine.states)).toEqual(
      expect.arrayContaining(['check-eligibility', 'confirm-reason', 'warn', 'upsell', 'verify', 'execute', 'executing', 'remind', 'close']),
    );
  });

  it('rejects an unknown guard with its JSON path', () => {
    const problems = problemsOfFlow((f) => (f.machine.states.warn.on.ACKNOWLEDGED = { target: 'upsell', guard: 'isVip' }));
    expect(problems).toContainEqual({ path: "$.machine.states['warn'].on.ACKNOWLEDGED.guard", message: "unknown guard 'isVip'" });
  });

  it('rejects an unknown action (XState would ignore it silently)', () => {
    const problems = problemsOfFlow((f) => (f.machine.states.warn.on.ACKNOWLEDGED = { target: 'upsell', actions: ['sendFlowers'] }));
    expect(problems).toContainEqual({ path: "$.machine.states['warn'].on.ACKNOWLEDGED.actions[0]", message: "unknown action 'sendFlowers'" });
  });

  it('rejects a bad target', () => {
    const problems = problemsOfFlow((f) => (f.machine.states.warn.on.ACKNOWLEDGED = 'upsel'));
    expect(problems).toContainEqual({ path: "$.machine.states['warn'].on.ACKNOWLEDGED.target", message: "unknown target state 'upsel'" });
  });

  it('rejects a state without its script', () => {
    const problems = problemsOfFlow((f) => delete f.machine.states.remind.meta.script);
    expect(problems).toContainEqual({ path: '$.machine.states.remind.meta.script', message: 'is required' });
  });

  it('rejects a script missing a locale', () => {
    const problems = problemsOfFlow((f) => delete f.machine.states.remind.meta.script.en);
    expect(problems).toContainEqual({ path: '$.machine.states.remind.meta.script.en', message: 'is required' });
  });

  it('rejects a typo XState would silently accept', () => {
    const problems = problemsOfFlow((f) => {
      f.machine.states.warn.onn = f.machine.states.warn.on;
      delete f.machine.states.warn.on;
    });
    expect(problems).toContainEqual({ path: '$.machine.states.warn.onn', message: 'unknown property' });
  });

  it('rejects unknown actors and delays, and numeric delays', () => {
    const problems = problemsOfFlow((f) => {
      f.machine.states.executing.invoke.src = 'launchRocket';
      f.machine.states.executing.after = { '5000': 'execute-failed' };
    });
    expect(problems).toContainEqual({ path: "$.machine.states['executing'].invoke.src", message: "unknown actor 'launchRocket'" });
    expect(problems).toContainEqual({ path: "$.machine.states['executing'].after['5000']", message: "unknown delay '5000' (delays are named, not numbers)" });
  });

  it('rejects a step with no options and no way on', () => {
    const problems = problemsOfFlow((f) => {
      delete f.machine.states.close.meta.options;
      delete f.machine.states.close.on;
    });
    expect(problems).toContainEqual({ path: "$.machine.states['close']", message: "state 'close' has no options and no way on (no invoke, after or always)" });
  });

  it('rejects an option whose event nothing handles, and an event no option sends', () => {
    const problems = problemsOfFlow((f) => {
      f.machine.states.warn.meta.options[0].event = 'ACK';
    });
    expect(problems).toContainEqual({ path: "$.machine.states['warn'].meta.options[0].event", message: "no transition handles event 'ACK'" });
    expect(problems).toContainEqual({ path: "$.machine.states['warn'].on.ACKNOWLEDGED", message: "no option sends event 'ACKNOWLEDGED'" });
  });

  it('rejects unknown rules, marks and lanes', () => {
    const problems = problemsOfFlow((f) => {
      f.machine.states['check-eligibility'].on.CONTINUE.guard.params.name = 'eligable';
      f.machine.states.warn.meta.marks = ['C', 'X'];
      f.machine.states.warn.meta.lane = 'kitchen';
    });
    expect(problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['$.machine.states.warn.meta.marks[1]', '$.machine.states.warn.meta.lane']),
    );
  });

  it('reports the rule name for a rule guard that names no rule', () => {
    const problems = problemsOfFlow((f) => (f.machine.states['check-eligibility'].on.CONTINUE.guard.params.name = 'eligable'));
    expect(problems).toContainEqual({ path: "$.machine.states['check-eligibility'].on.CONTINUE.guard.params.name", message: "unknown rule 'eligable'" });
  });

  it('names the file and path when a directory holds a broken file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flows-'));
    const broken = suspend();
    broken.machine.states.warn.on.ACKNOWLEDGED = 'nowhere';
    fs.writeFileSync(path.join(dir, 'broken.json'), JSON.stringify(broken));
    fs.writeFileSync(path.join(dir, 'garbage.json'), '{ not json');
    expect(() => loadFlowDirectory(dir, registry)).toThrow(/broken\.json: \$\.machine\.states\['warn'\]\.on\.ACKNOWLEDGED\.target: unknown target state 'nowhere'/);
    expect(() => loadFlowDirectory(dir, registry)).toThrow(/garbage\.json: \$: not valid JSON/);
  });

  it('refuses two files with the same id and version', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flows-'));
    fs.copyFileSync(SUSPEND, path.join(dir, 'a.json'));
    fs.copyFileSync(SUSPEND, path.join(dir, 'b.json'));
    expect(() => loadFlowDirectory(dir, registry)).toThrow(/suspend-service@2 is also defined/);
  });
});

describe('guard parameters', () => {
  it('rejects a rule guard without a rule and a matches guard without a condition', () => {
    const problems = problemsOfFlow((f) => {
      f.machine.states['check-eligibility'].on.CONTINUE.guard = 'rule';
      f.machine.states['checking-password'].invoke.onDone[0].guard = { type: 'matches', params: { eq: true } };
      f.machine.states['checking-password'].invoke.onDone[1].guard = { type: 'matches', params: { fact: 'verifyFailures' } };
    });
    expect(problems).toContainEqual({ path: "$.machine.states['check-eligibility'].on.CONTINUE.guard.params.name", message: 'is required' });
    expect(problems.filter((p) => p.path.endsWith('.guard.params') && p.path.includes('checking-password'))).toHaveLength(2);
  });
});
