import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AnyMachineSnapshot } from 'xstate';
import { compileFlow } from './flow-loader';
import { machineStep } from './flow-machine';
import { createRegistry } from './registry/registry';

const registry = createRegistry({ backendTimeout: 10_000 });
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const suspend = (): any => JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../flows/suspend-service.json'), 'utf8'));

/** The spawn actions of one step from `state` on `event`: what the engine starts back-end steps from. */
function spawned(raw: unknown, state: string, event: string) {
  const { machine } = compileFlow(raw, registry, 'test.json');
  const at = machine.resolveState({ value: state, context: { customer: {}, verifyFailures: 0 } }) as AnyMachineSnapshot;
  const [next, actions] = machineStep(machine, at, { type: event });
  return { machine, next, spawns: actions.filter((a) => a.type === 'xstate.spawnChild').map((a) => a.params) };
}

describe('flow machines: invokes spawn nothing, and name the back-end step with its input', () => {
  it('no actor logic: the spawn action carries the id, the operation and the input written in the flow', () => {
    const flow = suspend();
    const ticket = spawned(flow, 'execute-failed', 'RAISE_TICKET');
    expect(Object.keys(ticket.machine.implementations.actors)).toEqual([]);
    expect(ticket.spawns).toEqual([
      expect.objectContaining({ id: 'work-order', src: 'provision', input: flow.machine.states['raising-ticket'].invoke.input, actorRef: undefined }),
    ]);
    expect(ticket.next.value).toBe('raising-ticket');
    // An invoke without input gets an empty one, as the engine always had it.
    expect(spawned(flow, 'verify', 'PASSWORD').spawns).toEqual([expect.objectContaining({ id: 'ivr-check', src: 'checkIvrPassword', input: {} })]);
  });

  it('a flow that gives two steps one invoke id keeps inert actors, and each step still gets its own operation and input', () => {
    const flow = suspend();
    flow.machine.states['checking-document'].invoke.id = 'work-order';
    const document = spawned(flow, 'verify', 'ID_DOCUMENT');
    expect(Object.keys(document.machine.implementations.actors)).toContain('checkIdDocument');
    expect(document.spawns).toEqual([expect.objectContaining({ id: 'work-order', src: 'checkIdDocument', input: {} })]);
    expect(spawned(flow, 'execute-failed', 'RAISE_TICKET').spawns).toEqual([
      expect.objectContaining({ id: 'work-order', src: 'provision', input: flow.machine.states['raising-ticket'].invoke.input }),
    ]);
  });
});
