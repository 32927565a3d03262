import * as path from 'node:path';
import type { EvaluationModel } from '../../protocol/evaluation';
import { FlowLoadError } from '../flows/flow-loader';
import { indicatorsOf, loadEvaluationModel, parseEvaluationModel } from './evaluation-model';
import type { GroupFigures } from './formulas';
import { indicatorScore, normalise, scoreGroup, weighted } from './scoring';

const shipped = loadEvaluationModel(path.resolve(__dirname, '../../flows/evaluation/evaluation-model.json')).model;
const flows = (over: Partial<NonNullable<GroupFigures['flows']>>): NonNullable<GroupFigures['flows']> => ({
  calls: 0,
  call_ms: 0,
  call_wait_ms: 0,
  segments: 0,
  successes: 0,
  abandoned: 0,
  agent_steps: 0,
  over_target: 0,
  eligible: 0,
  presented: 0,
  accepted: 0,
  repeats: 0,
  needs_asked: 0,
  needs_matched: 0,
  ...over,
});

describe('normalising an indicator against its target', () => {
  it('higher is better: value / target, capped at 100', () => {
    expect(normalise(0.9, 'higher', 0.9)).toBe(100);
    expect(normalise(0.95, 'higher', 0.9)).toBe(100);
    expect(normalise(0.63, 'higher', 0.9)).toBe(70);
    expect(normalise(0, 'higher', 0.9)).toBe(0);
  });
  it('lower is better: 100 at or under the target, target / value above it', () => {
    expect(normalise(2, 'lower', 3)).toBe(100);
    expect(normalise(3, 'lower', 3)).toBe(100);
    expect(normalise(6, 'lower', 3)).toBe(50);
    expect(normalise(4, 'lower', 3)).toBe(75);
    expect(normalise(0, 'lower', 0.05)).toBe(100);
  });
  it('a volume (direction none) is not scored', () => {
    expect(normalise(120, 'none', undefined)).toBeNull();
  });
});

describe('weighted scores', () => {
  it('a weighted mean over the parts that have a score; coverage is their share of the weight', () => {
    expect(
      weighted('x', [
        { weight: 2, score: 100 },
        { weight: 1, score: 40 },
        { weight: 1, score: null },
      ]),
    ).toEqual({ id: 'x', score: 80, coverage: 0.75 });
  });
  it('nothing scored: null, coverage 0; weight-0 parts count neither way', () => {
    expect(
      weighted('x', [
        { weight: 1, score: null },
        { weight: 0, score: 50 },
      ]),
    ).toEqual({ id: 'x', score: null, coverage: 0 });
  });
});

describe('the shipped hotline model', () => {
  it('has the field report’s 3 dimensions, 9 sub-dimensions (4, 2, 4, 10, 9, 6, 5, 4, 6 indicators) and 50 indicators, and the 12/30/39/19 % stages', () => {
    expect(shipped.dimensions.map((d) => d.id)).toEqual(['system-operation', 'business-operation', 'customer-perception']);
    expect(shipped.dimensions.flatMap((d) => d.subDimensions.map((s) => s.indicators.length))).toEqual([4, 2, 4, 10, 9, 6, 5, 4, 6]);
    expect(indicatorsOf(shipped)).toHaveLength(50);
    expect(shipped.stages.map((s) => [s.id, s.weight])).toEqual([
      ['need', 0.12],
      ['purchase', 0.3],
      ['use', 0.39],
      ['aftersales', 0.19],
    ]);
  });

  it('an imported indicator is "imported", a computed one without rows "no data" — never missing', () => {
    const s = scoreGroup(shipped, {});
    expect(s.indicators).toHaveLength(50);
    expect(s.indicators.find((x) => x.id === 'connection-rate')).toEqual({ id: 'connection-rate', status: 'imported', value: null, score: null, sample: null });
    expect(s.indicators.find((x) => x.id === 'fcr-rate')?.status).toBe('no-data');
    expect(s.indicators.find((x) => x.id === 'satisfaction-score')?.status).toBe('no-data');
    expect(s.composite).toEqual({ id: 'composite', score: null, coverage: 0 });
  });

  it('scores one group by the weights: indicators → sub-dimensions → dimensions → composite', () => {
    // 10 calls of 200 s, 10 segments: 9 successes (1 repeated), 1 abandoned, 27 agent steps over 9 ended (avg 3), 1 over target; need asked 8, matched 6.
    const g: GroupFigures = {
      flows: flows({
        calls: 10,
        call_ms: 2_000_000,
        call_wait_ms: 200_000,
        segments: 10,
        successes: 9,
        repeats: 1,
        abandoned: 1,
        agent_steps: 27,
        over_target: 1,
        eligible: 4,
        presented: 2,
        accepted: 1,
        needs_asked: 8,
        needs_matched: 6,
      }),
      searches: 'not-by-group',
    };
    const s = scoreGroup(shipped, g);
    const x = (id: string) => s.indicators.find((i) => i.id === id);
    expect(x('need-coverage')).toEqual({ id: 'need-coverage', status: 'ok', value: 0.75, score: 83.3, sample: 8 });
    expect(x('fcr-rate')).toEqual({ id: 'fcr-rate', status: 'ok', value: 0.8, score: 94.1, sample: 10 });
    expect(x('handle-time')).toEqual({ id: 'handle-time', status: 'ok', value: 200_000, score: 90, sample: 10 });
    expect(x('agent-steps')).toMatchObject({ value: 3, score: 100 });
    expect(x('search-accuracy')?.status).toBe('not-by-group');
    expect(x('call-volume')).toEqual({ id: 'call-volume', status: 'ok', value: 10, score: null, sample: 10 });
    // operation-scale: only need-coverage is scored (the volumes weigh 0; 3 imported of weight 1 each): 83.3, coverage 3/6.
    expect(s.subDimensions.find((d) => d.id === 'operation-scale')).toEqual({ id: 'operation-scale', score: 83.3, coverage: 0.5 });
    // ease: handle-time 90 (w2), agent-steps 100 (w2), steps-within-target 8/9 → 0.8889 → 98.8 (w1), wait-share 0.1 → 100 (w1); 2 imported.
    expect(x('steps-within-target')).toMatchObject({ value: 0.8889, score: 98.8 });
    expect(s.subDimensions.find((d) => d.id === 'ease')).toEqual({ id: 'ease', score: 96.5, coverage: 0.75 });
    const dims = s.dimensions.map((d) => d.score);
    const expected =
      shipped.dimensions.reduce((t, d, i) => t + (dims[i] === null ? 0 : d.weight * dims[i]!), 0) /
      shipped.dimensions.reduce((t, d, i) => t + (dims[i] === null ? 0 : d.weight), 0);
    expect(s.composite.score).toBeCloseTo(expected, 0);
  });

  it('a lower-is-better ratio with no denominator is "no data", not 0', () => {
    const x = shipped.dimensions[1].subDimensions[1].indicators.find((i) => i.id === 'abandon-rate')!;
    expect(indicatorScore(x, { flows: flows({ calls: 3 }) })).toMatchObject({ status: 'no-data', value: null });
  });
});

describe('checking a model file', () => {
  const base = (): EvaluationModel & Record<string, unknown> => JSON.parse(JSON.stringify(shipped));
  const problems = (m: unknown) => {
    try {
      parseEvaluationModel(m, 'model.json');
      return [];
    } catch (e) {
      return (e as FlowLoadError).problems.map((p) => `${p.path}: ${p.message}`);
    }
  };

  it('the shipped model is valid', () => expect(problems(base())).toEqual([]));

  it('an unknown formula, an imported indicator without its needed data, a scored one without a target, a duplicate id', () => {
    const m = base();
    const quality = m.dimensions[1].subDimensions[1].indicators;
    quality[1].formula = 'fcr-rat';
    delete quality[0].needs;
    delete quality[2].target;
    quality[3].id = quality[4].id;
    expect(problems(m)).toEqual([
      expect.stringMatching(/^\$\.dimensions\[1\]\.subDimensions\[1\]\.indicators\[0\]\.needs: /),
      expect.stringMatching(/^\$\.dimensions\[1\]\.subDimensions\[1\]\.indicators\[1\]\.formula: unknown computed formula 'fcr-rat'/),
      '$.dimensions[1].subDimensions[1].indicators[2].target: a scored indicator needs a target > 0',
      `$.dimensions[1].subDimensions[1].indicators[4].id: duplicate id '${quality[4].id}'`,
    ]);
  });

  it('the schema: an unknown property, a bad direction; a business in two stages', () => {
    const m = base();
    (m.dimensions[0] as unknown as Record<string, unknown>).colour = 'red';
    expect(problems(m)).toEqual(['$.dimensions[0].colour: unknown property']);
    const n = base();
    n.stages[1].flows.push('complaint');
    expect(problems(n)).toEqual(["$.stages[3].flows: business 'complaint' is in two stages"]);
  });
});
