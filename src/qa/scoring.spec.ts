import * as path from 'node:path';
import { AppError } from '../common/app-error';
import { loadScorecardForm, parseScorecardForm } from './scorecard-form';
import { scoreCard } from './scoring';

const form = loadScorecardForm(path.resolve(__dirname, '../../flows/qa/scorecard.json'));
const checks = (passed: boolean[]) =>
  ['care-prompts-confirmed', 'warning-before-verification', 'offer-at-eligible-m-points', 'closing-words-reached'].map((id, i) => ({
    id,
    passed: passed[i],
    applicable: true,
  }));
const marks = { greeting: { score: 5 }, accuracy: { score: 4 }, empathy: { score: 3 } };
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return (e as AppError).details;
  }
  throw new Error('expected a refusal');
};

describe('scorecards', () => {
  it("weights the reviewer's marks and the automatic checks into a total out of 100", () => {
    const all = scoreCard(form, marks, checks([true, true, true, true]));
    // greeting 15×5/5 + accuracy 30×4/5 + empathy 20×3/5 + compliance 35×1 = 15 + 24 + 12 + 35
    expect(all.total).toBe(86);
    expect(all.criteria.find((c) => c.id === 'compliance')).toMatchObject({ score: 5, source: 'auto' });
    const oneFailed = scoreCard(form, marks, checks([false, true, true, true]));
    expect(oneFailed.criteria.find((c) => c.id === 'compliance')!.score).toBe(3.8);
    expect(oneFailed.total).toBeCloseTo(15 + 24 + 12 + 35 * (3.8 / 5), 1);
  });

  it('counts only the checks that apply; none applying is full marks', () => {
    const some = [
      { id: 'care-prompts-confirmed', passed: true, applicable: true },
      { id: 'closing-words-reached', passed: false, applicable: false },
    ];
    expect(scoreCard(form, marks, some).criteria.find((c) => c.id === 'compliance')!.score).toBe(5);
    expect(scoreCard(form, marks, []).criteria.find((c) => c.id === 'compliance')!.score).toBe(5);
  });

  it('lets a reviewer override the automatic score only with a reason', () => {
    expect(refusal(() => scoreCard(form, { ...marks, compliance: { score: 2 } }, checks([true, true, true, true])))).toEqual([
      { field: 'marks.compliance.comment', problems: ['overriding the automatic score needs a reason'] },
    ]);
    const overridden = scoreCard(form, { ...marks, compliance: { score: 2, comment: 'read the warning too fast' } }, checks([true, true, true, true]));
    expect(overridden.criteria.find((c) => c.id === 'compliance')).toMatchObject({ score: 2, source: 'override', comment: 'read the warning too fast' });
  });

  it('refuses missing, out-of-range and unknown marks, naming each field', () => {
    expect(refusal(() => scoreCard(form, { greeting: { score: 6 }, accuracy: { score: 4 }, bogus: { score: 1 } }, []))).toEqual([
      { field: 'marks.bogus', problems: ['not a criterion of the form'] },
      { field: 'marks.greeting.score', problems: ['must be between 0 and 5'] },
      { field: 'marks.empathy.score', problems: ['is required'] },
    ]);
  });

  it('refuses a form with a duplicate criterion or a bad weight, with the JSON path', () => {
    expect(() => parseScorecardForm({ version: 1, criteria: [form.criteria[0], form.criteria[0]] }, 'f.json')).toThrow(
      /\$\.criteria\[1\]\.id: duplicate criterion 'greeting'/,
    );
    expect(() => parseScorecardForm({ version: 1, criteria: [{ ...form.criteria[0], weight: 0 }] }, 'f.json')).toThrow(/\$\.criteria\.0\.weight/);
  });
});
