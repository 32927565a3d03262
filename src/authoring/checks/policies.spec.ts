import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FlowLoadError } from '../../flows/flow-loader';
import { FLOWS_DIR } from '../../simulation/file-flows';
import { loadPolicies, parsePolicies } from './policies';

const defaults = loadPolicies(path.join(FLOWS_DIR, 'policies/authoring-policies.json'));

describe('policy files', () => {
  const problemsOf = (raw: unknown) => {
    try {
      parsePolicies(raw, 'draft-policies.json');
    } catch (e) {
      expect(e).toBeInstanceOf(FlowLoadError);
      return (e as FlowLoadError).problems;
    }
    throw new Error('accepted');
  };
  const valid = () => JSON.parse(fs.readFileSync(path.join(FLOWS_DIR, 'policies/authoring-policies.json'), 'utf8'));

  it('ships the three default policies', () => {
    expect(defaults.policies.map((p) => [p.id, p.kind])).toEqual([
      ['verify-and-warn-before-change', 'precededBy'],
      ['failure-has-way-out', 'hasWayOut'],
      ['offer-can-be-declined', 'hasOption'],
    ]);
  });

  it('refuses a malformed policy naming the JSON path of each problem', () => {
    const raw = valid();
    raw.policies[0].to.marks = ['X'];
    raw.policies[1].exit.notto = raw.policies[1].exit.notTo;
    delete raw.policies[1].exit.notTo;
    delete raw.policies[2].option;
    expect(problemsOf(raw)).toEqual([
      { path: '$.policies[0].to.marks[0]', message: 'must be equal to one of the allowed values' },
      { path: '$.policies[1].exit.notTo', message: 'is required' },
      { path: '$.policies[1].exit.notto', message: 'unknown property' },
      { path: '$.policies[2].option', message: 'is required' },
    ]);
  });

  it('refuses a policy file that is not JSON, or not valid, naming the file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policies-'));
    const file = path.join(dir, 'authoring-policies.json');
    fs.writeFileSync(file, '{ "version": 1, ');
    expect(() => loadPolicies(file)).toThrow(`${file}: $: not valid JSON`);
    fs.writeFileSync(file, JSON.stringify({ version: 1, policies: [{ ...valid().policies[0], inOrder: 'yes' }] }));
    expect(() => loadPolicies(file)).toThrow(`${file}: $.policies[0].inOrder: must be boolean`);
    fs.rmSync(dir, { recursive: true });
  });

  it('refuses an unknown kind, an empty selector and a duplicate id', () => {
    const raw = valid();
    raw.policies[0].kind = 'mustVisit';
    expect(problemsOf(raw)).toEqual([{ path: '$.policies[0].kind', message: 'unknown policy kind "mustVisit" (one of precededBy, hasWayOut, hasOption)' }]);
    const empty = valid();
    empty.policies[2].states = {};
    expect(problemsOf(empty)).toEqual([{ path: '$.policies[2].states', message: 'must NOT have fewer than 1 properties' }]);
    const twice = valid();
    twice.policies[1].id = twice.policies[0].id;
    expect(problemsOf(twice)).toEqual([{ path: '$.policies[1].id', message: "duplicate policy id 'verify-and-warn-before-change'" }]);
  });
});
