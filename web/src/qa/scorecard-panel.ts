import type { CallCheckResult, Criterion, Marks, Scorecard, ScorecardForm } from '../../../protocol/qa.js';
import { ApiError, type Session } from '../app/api.js';
import { h } from '../app/dom.js';
import { errorText, pick, t } from '../app/i18n.js';
import { time } from '../app/format.js';
import { names } from '../app/names.js';
import { qaApi } from './qa-api.js';

const SOURCE = { reviewer: 'qaSourceReviewer', auto: 'qaSourceAuto', override: 'qaSourceOverride' } as const;
const round1 = (x: number) => Math.round(x * 10) / 10;

/** What the automatic checks give a compliance criterion (as src/qa/scoring.ts computes it). */
export function autoScore(c: Criterion, checks: CallCheckResult[]): number | null {
  if (!c.auto) return null;
  const used = checks.filter((k) => c.auto!.includes(k.id) && k.applicable);
  return round1(used.length ? (used.filter((k) => k.passed).length / used.length) * c.max : c.max);
}

interface Row {
  criterion: Criterion;
  auto: number | null;
  score: HTMLInputElement;
  comment: HTMLInputElement;
  error: HTMLElement;
}

/**
 * The scorecard of a call: the form's criteria (the compliance one pre-filled from the automatic
 * checks; changing it needs a reason), an overall comment, Save (a new scorecard, or the next
 * revision of the one being revised); the call's scorecards with their revisions. Read-only for agents.
 */
export function renderScorecardPanel(session: Session, callId: string, form: ScorecardForm, checks: CallCheckResult[], readOnly: boolean): HTMLElement {
  let editing: Scorecard | null = null;
  const list = h('div', { class: 'qa-scorecard-list', 'data-testid': 'qa-scorecards' });
  const result = h('p', { class: 'qa-scorecard-result', 'data-testid': 'qa-scorecard-result', hidden: true });
  // A live list, not role=alert: an alert is no list, and its items would be list items outside one.
  const errors = h('ul', { class: 'error-text', 'data-testid': 'qa-scorecard-errors', 'aria-live': 'assertive', hidden: true });
  const overall = h('textarea', { 'data-testid': 'qa-scorecard-comment', rows: 2, maxlength: 4000 });
  const save = h('button', { type: 'submit', class: 'primary', 'data-testid': 'qa-save-scorecard' }, t('qaSave'));
  const mode = h('span', { class: 'muted', 'data-testid': 'qa-scorecard-mode' }, t('qaNewScorecard'));
  const startNew = h(
    'button',
    { type: 'button', class: 'link', 'data-testid': 'qa-new-scorecard', hidden: true, onclick: () => load(null) },
    t('qaNewScorecard'),
  );

  const rows: Row[] = form.criteria.map((criterion) => {
    const auto = autoScore(criterion, checks);
    return {
      criterion,
      auto,
      score: h('input', {
        type: 'number',
        min: 0,
        max: criterion.max,
        step: auto === null ? 1 : 0.1,
        'data-testid': `qa-mark-${criterion.id}`,
        'aria-label': t('qaScoreFor', { criterion: pick(criterion.title) }),
        name: `marks.${criterion.id}.score`,
        value: auto ?? '',
        style: 'width:5em',
      }),
      comment: h('input', {
        type: 'text',
        'data-testid': `qa-comment-${criterion.id}`,
        'aria-label': t('qaCommentFor', { criterion: pick(criterion.title) }),
        name: `marks.${criterion.id}.comment`,
        placeholder: t('qaComment'),
        maxlength: 2000,
      }),
      error: h('span', { class: 'field-error', 'data-testid': `qa-error-${criterion.id}` }),
    };
  });

  const marks = (): Marks => {
    const out: Marks = {};
    for (const r of rows) {
      const mark: { score?: number; comment?: string } = {};
      const raw = r.score.value.trim();
      // An automatic criterion left at its automatic score is not a mark: the server scores it from the checks.
      if (raw !== '' && !(r.auto !== null && Number(raw) === r.auto)) mark.score = Number(raw);
      if (r.comment.value.trim()) mark.comment = r.comment.value.trim();
      if (Object.keys(mark).length) out[r.criterion.id] = mark;
    }
    return out;
  };

  function load(card: Scorecard | null): void {
    editing = card;
    for (const r of rows) {
      const mark = card?.marks[r.criterion.id];
      r.score.value = String(mark?.score ?? r.auto ?? '');
      r.comment.value = mark?.comment ?? '';
    }
    overall.value = card?.comment ?? '';
    save.textContent = card ? t('qaSaveRevision') : t('qaSave');
    mode.textContent = card ? t('qaRevision', { n: card.revision + 1 }) : t('qaNewScorecard');
    startNew.hidden = !card;
    section.dataset.mode = card ? 'revise' : 'new';
    errors.hidden = true;
  }

  function showErrors(err: unknown): void {
    rows.forEach((r) => (r.error.textContent = ''));
    const e = err instanceof ApiError ? err : null;
    const fields = e?.fields ?? [];
    for (const f of fields) {
      const row = rows.find((r) => f.field.startsWith(`marks.${r.criterion.id}.`) || f.field === `marks.${r.criterion.id}`);
      if (row) row.error.textContent = f.problems.map(names.problem).join(', ');
    }
    errors.replaceChildren(
      h('li', { 'data-code': e?.code ?? 'INTERNAL' }, e?.code === 'STALE_SEQ' ? t('qaStaleScorecard') : errorText(e?.code ?? 'INTERNAL')),
      ...fields.map((f) => {
        const row = rows.find((r) => f.field.startsWith(`marks.${r.criterion.id}.`) || f.field === `marks.${r.criterion.id}`);
        const what = row ? pick(row.criterion.title) : t('qaScorecardComment');
        return h('li', { 'data-testid': 'qa-field-error', 'data-field': f.field }, `${what}: ${f.problems.map(names.problem).join(', ')}`);
      }),
    );
    errors.hidden = false;
  }

  async function submit(e: Event): Promise<void> {
    e.preventDefault();
    save.disabled = true;
    try {
      const card = editing
        ? await qaApi.revise(session.token, editing.id, editing.revision, marks(), overall.value.trim())
        : await qaApi.create(session.token, callId, marks(), overall.value.trim());
      rows.forEach((r) => (r.error.textContent = ''));
      result.textContent = t('qaSaved', { total: card.total, n: card.revision });
      result.dataset.total = String(card.total);
      result.dataset.revision = String(card.revision);
      result.dataset.scorecardId = card.id;
      result.hidden = false;
      load(card);
      await refresh();
    } catch (err) {
      showErrors(err);
    } finally {
      save.disabled = false;
    }
  }

  async function refresh(): Promise<void> {
    const cards = await qaApi.scorecards(session.token, callId);
    const revisions = await Promise.all(cards.map((c) => qaApi.revisions(session.token, c.id)));
    list.replaceChildren(
      h('h4', {}, t('qaExisting')),
      ...(cards.length
        ? cards.map((card, i) => renderCard(card, revisions[i], form, readOnly ? null : () => load(card)))
        : [h('p', { class: 'muted', 'data-testid': 'qa-no-scorecards' }, t('qaNoScorecards'))]),
    );
  }

  const section = h(
    'section',
    { class: 'card qa-scorecard', 'data-testid': 'qa-scorecard', 'data-mode': 'new', 'data-read-only': String(readOnly) },
    h('h3', {}, t('qaScorecard')),
    list,
    readOnly
      ? null
      : h(
          'form',
          { class: 'qa-scorecard-form', onsubmit: (e: Event) => void submit(e) },
          h('p', {}, mode, ' ', startNew),
          h(
            'table',
            {},
            h(
              'tbody',
              {},
              rows.map((r) =>
                h(
                  'tr',
                  { 'data-testid': 'qa-criterion', 'data-criterion-id': r.criterion.id },
                  h('td', {}, h('strong', {}, pick(r.criterion.title)), h('div', { class: 'muted small' }, pick(r.criterion.guide))),
                  h(
                    'td',
                    {},
                    r.score,
                    ` / ${r.criterion.max}`,
                    r.auto !== null
                      ? h('div', { class: 'small', 'data-testid': `qa-auto-${r.criterion.id}`, 'data-auto': r.auto }, t('qaAutoScore', { score: r.auto }))
                      : null,
                    r.auto !== null ? h('div', { class: 'hint small' }, t('qaOverrideReason')) : null,
                  ),
                  h('td', {}, r.comment, r.error),
                ),
              ),
            ),
          ),
          h('label', { class: 'qa-overall' }, t('qaOverallComment'), overall),
          errors,
          h('div', {}, save),
          result,
        ),
  );
  void refresh().catch((err) => showErrors(err));
  return section;
}

function renderCard(
  card: Scorecard,
  revisions: { revision: number; reviewer: string; at: string; content: Scorecard }[],
  form: ScorecardForm,
  onEdit: (() => void) | null,
): HTMLElement {
  const titleOf = (id: string) => pick(form.criteria.find((c) => c.id === id)?.title) || id;
  return h(
    'div',
    {
      class: 'qa-scorecard-item',
      'data-testid': 'qa-scorecard-item',
      'data-scorecard-id': card.id,
      'data-total': card.total,
      'data-revision': card.revision,
    },
    h(
      'p',
      {},
      h('strong', {}, t('qaTotalScore', { total: card.total })),
      ` · ${t('qaRevision', { n: card.revision })} · ${t('qaReviewer')} ${card.reviewer} · ${time(card.updatedAt)} `,
      onEdit ? h('button', { type: 'button', 'data-testid': 'qa-edit-scorecard', onclick: onEdit }, t('qaEdit')) : null,
    ),
    h(
      'ul',
      { class: 'qa-card-criteria' },
      card.score.criteria.map((c) =>
        h(
          'li',
          { 'data-criterion-id': c.id, 'data-source': c.source },
          `${titleOf(c.id)}: ${c.score} / ${c.max} (${t(SOURCE[c.source])})${c.comment ? ` — ${c.comment}` : ''}`,
        ),
      ),
    ),
    card.comment ? h('p', { 'data-testid': 'qa-scorecard-overall' }, card.comment) : null,
    h(
      'details',
      {},
      h('summary', {}, `${t('qaRevisions')} (${revisions.length})`),
      h(
        'ol',
        {},
        revisions.map((r) =>
          h(
            'li',
            { 'data-testid': 'qa-scorecard-revision', 'data-revision': r.revision },
            `${t('qaRevision', { n: r.revision })} · ${r.reviewer} · ${time(r.at)} · ${t('qaTotalScore', { total: r.content.total })}${r.content.comment ? ` — ${r.content.comment}` : ''}`,
          ),
        ),
      ),
    ),
  );
}
