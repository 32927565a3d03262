import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ANSWER_RENDERERS } from './answer-renderers';
import { loadScenarioAnswers } from './scenario-answers-file';

const SHIPPED = path.join(__dirname, '../../../flows/knowledge/scenario-answers.json');
const fileWith = (answers: unknown) => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'answers-')), 'a.json');
  fs.writeFileSync(file, JSON.stringify({ version: 1, answers }));
  return file;
};
const good = { id: 'points', question: { 'zh-CN': '积分', en: 'Points' }, query: 'points', render: 'points-balance' };

describe('scenario answers file', () => {
  it('loads the shipped answers', () => {
    expect(loadScenarioAnswers(SHIPPED).map((a) => `${a.id}:${a.query}:${a.render}`)).toEqual([
      'why-bill-high:bills:bill-rise',
      'subscribed-services:services:services-list',
      'current-plan:plan:plan-summary',
      'points-balance:points:points-balance',
      'balance:balance:balance',
      'data-remaining:data-usage:data-remaining',
    ]);
  });

  it('refuses an unknown query or renderer, a twice-used id, a question without both languages — naming the JSON path', () => {
    expect(() => loadScenarioAnswers(fileWith([{ ...good, query: 'data-left' }]))).toThrow(/\$\.answers\[0\]\.query: must be one of bills/);
    expect(() => loadScenarioAnswers(fileWith([{ ...good, render: 'eval' }]))).toThrow(/\$\.answers\[0\]\.render/);
    expect(() => loadScenarioAnswers(fileWith([good, good]))).toThrow(/\$\.answers\[1\]\.id: 'points' twice/);
    expect(() => loadScenarioAnswers(fileWith([{ ...good, question: { 'zh-CN': '积分' } }]))).toThrow(/\$\.answers\[0\]\.question: needs zh-CN and en/);
    expect(() => loadScenarioAnswers(fileWith('x'))).toThrow(/\$\.answers: must be an array/);
  });
});

describe('answer renderers', () => {
  const bill = (month: string, items: [string, number][]) => ({
    month,
    totalYuan: items.reduce((s, [, y]) => s + y, 0),
    items: items.map(([name, yuan]) => ({ name, yuan })),
  });

  it('bill-rise: the items that rose or are new, largest rise first; one bill only: every item is new; no bill: nothing to say', () => {
    const r = ANSWER_RENDERERS['bill-rise']({
      bills: [
        bill('2026-10', [
          ['fee', 30],
          ['data', 25],
          ['sms', 1],
        ]),
        bill('2026-09', [
          ['fee', 30],
          ['data', 5],
          ['sms', 2],
        ]),
      ],
    });
    expect(r).toEqual({
      kind: 'bill-rise',
      month: '2026-10',
      totalYuan: 56,
      previousMonth: '2026-09',
      previousTotalYuan: 37,
      rises: [{ name: 'data', yuan: 25, previousYuan: 5, riseYuan: 20 }],
    });
    expect(ANSWER_RENDERERS['bill-rise']({ bills: [bill('2026-10', [['fee', 30]])] })).toMatchObject({
      previousMonth: null,
      rises: [{ name: 'fee', riseYuan: 30 }],
    });
    expect(ANSWER_RENDERERS['bill-rise']({ bills: [] })).toBeNull();
  });

  it('the others read their reply, and say nothing of a reply without their field', () => {
    expect(ANSWER_RENDERERS['services-list']({ services: ['caller-id'] })).toEqual({ kind: 'services-list', services: ['caller-id'] });
    expect(ANSWER_RENDERERS['plan-summary']({ plan: { name: 'P', monthlyYuan: 18 } })).toEqual({ kind: 'plan-summary', name: 'P', monthlyYuan: 18 });
    expect(ANSWER_RENDERERS.balance({ balanceYuan: -12, arrearsYuan: 12 })).toEqual({ kind: 'balance', balanceYuan: -12, arrearsYuan: 12 });
    for (const name of Object.keys(ANSWER_RENDERERS)) expect(ANSWER_RENDERERS[name]({})).toBeNull();
  });

  it('data left: the totals as the back end sums them, the allowances with the most left first; a malformed pack says nothing', () => {
    const pack = (name: string, allowanceMb: number, usedMb: number) => ({ name, allowanceMb, usedMb, remainingMb: Math.max(0, allowanceMb - usedMb) });
    const reply = { packs: [pack('plan', 1000, 1200), pack('top-up', 500, 100)], allowanceMb: 1500, usedMb: 1300, remainingMb: 400, overMb: 200 };
    expect(ANSWER_RENDERERS['data-remaining'](reply)).toEqual({
      kind: 'data-remaining',
      remainingMb: 400,
      allowanceMb: 1500,
      usedMb: 1300,
      overMb: 200,
      packs: [pack('top-up', 500, 100), pack('plan', 1000, 1200)],
    });
    expect(ANSWER_RENDERERS['data-remaining']({ ...reply, packs: [{ name: 'x', allowanceMb: '1' }] })).toBeNull();
    expect(ANSWER_RENDERERS['data-remaining']({ ...reply, remainingMb: 'lots' })).toBeNull();
  });
});
