import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FlowLoadError } from '../flows/flow-loader';
import { type FlowKindOf, loadIvrMap, parseIvrMap, suggestedFlow } from './ivr-map';

const KINDS: Record<string, string> = {
  'bill-inquiry': 'business',
  'vas-subscribe': 'business',
  'plan-change': 'business',
  'enter-service': 'enter',
  'hang-up': 'hang-up',
};
const kindOf: FlowKindOf = (id) => KINDS[id] ?? null;
const SOURCE = 'flows/cti/ivr-map.json';

function problems(raw: unknown): { path: string; message: string }[] {
  try {
    parseIvrMap(raw, SOURCE, kindOf);
  } catch (e) {
    expect(e).toBeInstanceOf(FlowLoadError);
    expect((e as FlowLoadError).source).toBe(SOURCE);
    expect((e as Error).message).toContain(SOURCE);
    return (e as FlowLoadError).problems;
  }
  throw new Error('the map was accepted');
}

describe('the IVR map', () => {
  const map = parseIvrMap(
    {
      version: 1,
      routes: [
        { path: ['1'], flowId: 'bill-inquiry' },
        { path: ['2'], flowId: 'plan-change' },
        { path: ['2', '1'], flowId: 'vas-subscribe' },
      ],
      otherwise: 'enter-service',
    },
    SOURCE,
    kindOf,
  );

  it("suggests the business of the longest route that begins the caller's path, else the hotline entry", () => {
    expect(suggestedFlow(map, ['1'])).toBe('bill-inquiry');
    expect(suggestedFlow(map, ['1', '9', '9'])).toBe('bill-inquiry');
    expect(suggestedFlow(map, ['2'])).toBe('plan-change');
    expect(suggestedFlow(map, ['2', '1'])).toBe('vas-subscribe');
    expect(suggestedFlow(map, ['2', '3'])).toBe('plan-change');
    expect(suggestedFlow(map, ['3', '1'])).toBe('enter-service');
    expect(suggestedFlow(map, [])).toBe('enter-service');
  });

  it('reports schema problems at their JSON paths', () => {
    expect(problems({ version: 2, routes: [], otherwise: 'enter-service' })).toEqual([{ path: '$.version', message: 'must be equal to constant' }]);
    expect(
      problems({
        version: 1,
        routes: [
          { path: ['1x'], flowId: 'bill-inquiry' },
          { path: [], flowId: 'bill-inquiry', extra: 1 },
        ],
        otherwise: 'enter-service',
      }),
    ).toEqual(
      expect.arrayContaining([
        { path: '$.routes[0].path[0]', message: expect.stringContaining('must match pattern') },
        { path: '$.routes[1].path', message: 'must NOT have fewer than 1 items' },
        { path: '$.routes[1].extra', message: 'unknown property' },
      ]),
    );
    expect(problems({ version: 1, routes: [] })).toEqual([{ path: '$.otherwise', message: 'is required' }]);
  });

  it('refuses a path mapped twice, a flow not in force, and a flow that cannot start a call', () => {
    expect(
      problems({
        version: 1,
        routes: [
          { path: ['1'], flowId: 'bill-inquiry' },
          { path: ['1'], flowId: 'plan-change' },
          { path: ['4'], flowId: 'no-such-flow' },
          { path: ['5'], flowId: 'hang-up' },
        ],
        otherwise: 'gone',
      }),
    ).toEqual([
      { path: '$.routes[1].path', message: 'path [1] is mapped twice' },
      { path: '$.routes[2].flowId', message: "no flow 'no-such-flow' is in force" },
      { path: '$.routes[3].flowId', message: "flow 'hang-up' is a hang-up flow: a call starts in a business or the hotline entry" },
      { path: '$.otherwise', message: "no flow 'gone' is in force" },
    ]);
  });

  it('reports a file that is not JSON at $', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ivr-map-')), 'ivr-map.json');
    fs.writeFileSync(file, '{ "version": 1,');
    expect(() => loadIvrMap(file, kindOf)).toThrow(expect.objectContaining({ source: file, problems: [expect.objectContaining({ path: '$' })] }));
  });

  it('ships a map every route of which names a flow of flows/', () => {
    const dir = path.resolve(__dirname, '../../flows');
    const definitions = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { id: string; kind?: string });
    const kinds = new Map(definitions.map((d) => [d.id, d.kind ?? 'business']));
    const shipped = loadIvrMap(path.resolve(__dirname, '../../flows/cti/ivr-map.json'), (id) => kinds.get(id) ?? null);
    expect(shipped.routes.length).toBeGreaterThan(0);
    // The businesses added for issue 20 have menu codes of their own.
    expect([['1', '1'], ['1', '2'], ['3', '3'], ['6'], ['7']].map((p) => suggestedFlow(shipped, p))).toEqual([
      'itemised-bill',
      'top-up',
      'sim-replacement',
      'data-fault',
      'phone-purchase',
    ]);
  });
});
