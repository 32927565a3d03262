import type { Certification, TrainingResult } from '../../../protocol/training.js';
import { h } from '../app/dom.js';
import { time } from '../app/format.js';
import { names } from '../app/names.js';
import { tw } from './training-words.js';

/** Certifications per trainee and business: passed scenarios of those required. */
export function certificationTable(certs: Certification[], withTrainee: boolean): HTMLElement {
  if (!certs.length) return h('p', { 'data-testid': 'tr-no-certs' }, tw('trNoCerts'));
  return h(
    'table',
    { class: 'data', 'data-testid': 'tr-certs' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...[withTrainee ? tw('trTrainee') : null, tw('trBusiness'), tw('trProgress'), tw('trResult')]
          .filter((x): x is string => !!x)
          .map((x) => h('th', { scope: 'col' }, x)),
      ),
    ),
    h(
      'tbody',
      {},
      ...certs.map((c) =>
        h(
          'tr',
          { 'data-testid': 'tr-cert', 'data-flow': c.flowId, 'data-trainee': c.trainee, 'data-certified': String(c.certified) },
          ...(withTrainee ? [h('td', {}, c.trainee)] : []),
          h('td', {}, names.flow(c.flowId)),
          h('td', {}, `${c.passed} / ${c.required}`),
          h('td', { class: c.certified ? 'ok' : '' }, c.certified ? tw('trCertified') : tw('trNotCertified')),
        ),
      ),
    ),
  );
}

export const outcomeText = (r: TrainingResult): string => (r.passed === null ? tw('trRunning') : r.passed ? tw('trPassed') : tw('trFailed'));

/** Training calls: when, business, score, passed, how much of the scenario was followed. */
export function resultTable(results: TrainingResult[], withTrainee: boolean): HTMLElement {
  if (!results.length) return h('p', { 'data-testid': 'tr-no-calls' }, tw('trNoCalls'));
  const heads = [withTrainee ? tw('trTrainee') : null, tw('trEnded'), tw('trBusiness'), tw('trScore'), tw('trResult'), tw('trFollowed'), tw('trFailedChecks')];
  return h(
    'table',
    { class: 'data', 'data-testid': 'tr-results' },
    h('thead', {}, h('tr', {}, ...heads.filter((x): x is string => !!x).map((x) => h('th', { scope: 'col' }, x)))),
    h(
      'tbody',
      {},
      ...results.map((r) =>
        h(
          'tr',
          { 'data-testid': 'tr-result', 'data-call': r.callId, 'data-passed': String(r.passed) },
          ...(withTrainee ? [h('td', {}, r.trainee)] : []),
          h('td', {}, r.endedAt ? time(r.endedAt) : '—'),
          h('td', {}, names.flow(r.flowId)),
          h('td', {}, r.score === null ? '—' : String(r.score)),
          h('td', {}, outcomeText(r)),
          h('td', {}, r.expected === null ? '—' : `${r.followed} / ${r.expected}`),
          h('td', {}, r.failedChecks.length ? r.failedChecks.map((c) => names.check(c)).join('、') : tw('trNone')),
        ),
      ),
    ),
  );
}
