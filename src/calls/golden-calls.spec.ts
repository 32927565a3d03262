/**
 * Golden calls: real calls recorded from the server (test/golden/*.json, see test/golden/README.md)
 * replayed against the flow versions and matrix they ran on, stored with them. A change to the
 * engine, the step function or the registry that breaks an old call's replay fails here; and the
 * tampered copy must be caught by the hash chain at the exact event that was altered.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CallRecord, StoredEvent } from '../decision-log/decision-log';
import { verifyChain } from '../decision-log/hash-chain';
import type { FlowDefinition } from '../flows/flow-definition';
import { type CompiledFlow, compileFlow } from '../flows/flow-loader';
import type { FlowResolver } from '../flows/flow-resolver';
import { parseMatrix } from '../flows/marketing-matrix';
import { createRegistry } from '../flows/registry/registry';
import { flowForRegion } from '../flows/regional-variant';
import { replayCall } from './step';

export interface GoldenCall {
  call: CallRecord;
  events: StoredEvent[];
  flows: { id: string; version: number; definition: FlowDefinition }[];
  matrix: { version: number; definition: unknown } | null;
}

const GOLDEN_DIR = path.resolve(__dirname, '../../test/golden');
const TAMPERED_DIR = path.join(GOLDEN_DIR, 'tampered');
const fixturesIn = (dir: string) =>
  fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
const read = (file: string): GoldenCall => JSON.parse(fs.readFileSync(file, 'utf8'));

/** Resolves exactly the versions stored with the call (one per flow), as they are in the fixture. */
function goldenFlows(golden: GoldenCall, source: string): FlowResolver {
  const registry = createRegistry({ backendTimeout: 10_000 });
  const compiled = golden.flows.map((f) => compileFlow(f.definition, registry, `${source} ${f.id}@${f.version}`));
  const matrix = golden.matrix ? parseMatrix(golden.matrix.definition, `${source} matrix@${golden.matrix.version}`).matrix : null;
  const byId = (id: string): CompiledFlow | undefined => compiled.find((f) => f.definition.id === id);
  return {
    exact: (id, version, region) => {
      const flow = compiled.find((f) => f.definition.id === id && f.definition.version === version);
      if (!flow) throw new Error(`${source}: flow ${id}@${version} is not stored with the call`);
      return flowForRegion(flow, region, registry);
    },
    at: (id, _at, region) => {
      const flow = byId(id);
      return flow ? flowForRegion(flow, region, registry) : null;
    },
    hangUp: (_at, region) => {
      const flow = compiled.find((f) => f.definition.kind === 'hang-up');
      return flow ? flowForRegion(flow, region, registry) : null;
    },
    matrix: () => matrix,
  };
}

const replayGolden = (file: string) => {
  const golden = read(file);
  return { golden, result: replayCall(goldenFlows(golden, path.relative(GOLDEN_DIR, file)), golden.call, golden.events) };
};

describe('golden calls', () => {
  const names = fixturesIn(GOLDEN_DIR);

  it('are committed, covering the paths they were recorded for', () => {
    expect(names.length).toBeGreaterThanOrEqual(5);
    const calls = names.map((n) => read(path.join(GOLDEN_DIR, n)));
    const kinds = calls.map(({ call }) => `${call.flowId}:${call.status}:${call.outcome}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'suspend-service:completed:completed',
        'suspend-service:completed:ticket-raised',
        'suspend-service:abandoned:abandoned',
        'enter-service:completed:completed',
      ]),
    );
    expect(calls.some(({ events }) => events.some((e) => e.type === 'call.hangup'))).toBe(true);
    expect(calls.some(({ events }) => events.some((e) => e.flowIdAfter === 'hang-up'))).toBe(true);
    expect(calls.some(({ events }) => events.some((e) => e.type === 'backend.reply' && e.payload.ok === false))).toBe(true);
    expect(calls.some(({ events }) => events.some((e) => e.payload.option === 'accept' && e.flowIdAfter !== e.flowId))).toBe(true);
  });

  it.each(names)('%s replays deterministically on its recorded flow versions, over an intact chain', (name) => {
    const { golden, result } = replayGolden(path.join(GOLDEN_DIR, name));
    expect(result.divergences).toEqual([]);
    expect(result).toMatchObject({
      callId: golden.call.id,
      deterministic: true,
      eventsReplayed: golden.events.length,
      chain: { intact: true, brokenAt: null },
    });
    expect(result.progress!.record).toMatchObject({ status: golden.call.status, outcome: golden.call.outcome, state: golden.call.state, seq: golden.call.seq });
  });

  describe('tampered', () => {
    const tampered = fixturesIn(TAMPERED_DIR);

    it('there is a tampered copy of a golden call', () => {
      expect(tampered.length).toBeGreaterThanOrEqual(1);
      for (const name of tampered) expect(names).toContain(name);
    });

    it.each(tampered)('%s: replay reports the chain broken exactly at the altered event', (name) => {
      const original = read(path.join(GOLDEN_DIR, name));
      const { golden, result } = replayGolden(path.join(TAMPERED_DIR, name));
      // The altered event, found independently: the one whose content differs from the golden call.
      const altered = golden.events.filter((e, i) => JSON.stringify(e) !== JSON.stringify(original.events[i]));
      expect(altered).toHaveLength(1);
      expect(altered[0].hash).toBe(original.events[altered[0].seq - 1].hash); // hashes left as they were
      expect(result.chain).toEqual({ intact: false, brokenAt: { seq: altered[0].seq, reason: 'the hash does not match the event content' } });
      expect(verifyChain(golden.events)).toEqual(result.chain);
      // The edit re-executes the same: only the chain shows it, and replay still reports it.
      expect(result).toMatchObject({ callId: golden.call.id, deterministic: true, eventsReplayed: golden.events.length, divergences: [] });
    });
  });
});
