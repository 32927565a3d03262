import type { FlowSummary } from '../../../protocol/flows.js';
import type { Article, ArticleRequest } from '../../../protocol/knowledge.js';
import { ApiError, request, type Session } from '../app/api.js';
import { h } from '../app/dom.js';
import { errorText, pick } from '../app/i18n.js';
import { names } from '../app/names.js';
import { articleForm } from './article-form.js';
import { kw } from './knowledge-words.js';

/** `#/knowledge`: supervisors write and approve knowledge articles (maker–checker); QA reads them. */
export const wantsKnowledge = (): boolean => location.hash.startsWith('#/knowledge');

export const knowledgeLink = (): HTMLElement =>
  wantsKnowledge()
    ? h('a', { href: '#/', class: 'topbar-link', 'data-testid': 'knowledge-back' }, kw('kbBack'))
    : h('a', { href: '#/knowledge', class: 'topbar-link', 'data-testid': 'knowledge-link' }, kw('kbAdmin'));

const api = (token: string) => ({
  list: () => request<Article[]>('/api/knowledge/articles', { token }),
  create: (body: ArticleRequest) => request<Article>('/api/knowledge/articles', { token, method: 'POST', body: JSON.stringify(body) }),
  newVersion: (id: string, body: ArticleRequest) =>
    request<Article>(`/api/knowledge/articles/${id}/versions`, { token, method: 'POST', body: JSON.stringify(body) }),
  edit: (a: Article, body: ArticleRequest) =>
    request<Article>(`/api/knowledge/articles/${a.articleId}/versions/${a.version}`, { token, method: 'PUT', body: JSON.stringify(body) }),
  act: (a: Article, action: 'submit' | 'approve' | 'reject', comment?: string) =>
    request<Article>(`/api/knowledge/articles/${a.articleId}/versions/${a.version}/${action}`, {
      token,
      method: 'POST',
      body: JSON.stringify(comment ? { comment } : {}),
    }),
});

/**
 * The articles, newest first, with what the user may do to each: the author edits and submits a
 * draft; another supervisor approves or rejects (with a comment) what was submitted; a published
 * version is the base of the next one. The server decides (the checker is never the maker); the page
 * only offers what it would accept.
 */
export function renderKnowledgePage(session: Session, flows: readonly FlowSummary[]): HTMLElement {
  const calls = api(session.token);
  const writer = session.role === 'supervisor';
  const page = h('section', { class: 'card knowledge-admin', 'data-testid': 'knowledge-page', 'data-state': 'loading' });
  const message = h('p', { class: 'muted', role: 'status', 'data-testid': 'kb-message' });
  const error = h('p', { class: 'error-text', role: 'alert', 'data-testid': 'kb-error' });
  const editor = h('div');
  const body = h('div');

  const run = async (work: () => Promise<unknown>, done = kw('kbSaved')) => {
    error.textContent = '';
    message.textContent = '';
    try {
      await work();
      message.textContent = done;
      editor.replaceChildren();
    } catch (e) {
      error.textContent = errorText(e instanceof ApiError ? e.code : 'INTERNAL');
    }
    await load();
  };
  const open = (from: Article | null, save: (r: ArticleRequest) => Promise<Article>) =>
    editor.replaceChildren(
      h('h3', {}, from ? (from.status === 'draft' ? kw('kbEdit') : kw('kbNewVersion')) : kw('kbNew')),
      articleForm(flows, from, (r) => void run(() => save(r))),
    );

  const actions = (a: Article): HTMLElement => {
    const cell = h('td', {});
    if (!writer) return cell;
    const mine = a.createdBy === session.username;
    if (a.status === 'draft' && mine) {
      cell.append(
        h('button', { type: 'button', 'data-testid': 'kb-edit', onclick: () => open(a, (r) => calls.edit(a, r)) }, kw('kbEdit')),
        h('button', { type: 'button', 'data-testid': 'kb-submit', onclick: () => void run(() => calls.act(a, 'submit')) }, kw('kbSubmit')),
      );
    }
    if (a.status === 'submitted' && !mine) {
      const comment = h('input', { 'data-testid': 'kb-comment', 'aria-label': kw('kbComment'), placeholder: kw('kbComment'), maxlength: 2000 });
      cell.append(
        comment,
        h(
          'button',
          { type: 'button', 'data-testid': 'kb-approve', onclick: () => void run(() => calls.act(a, 'approve', comment.value.trim() || undefined)) },
          kw('kbApprove'),
        ),
        h(
          'button',
          { type: 'button', 'data-testid': 'kb-reject', onclick: () => void run(() => calls.act(a, 'reject', comment.value.trim() || undefined)) },
          kw('kbReject'),
        ),
      );
    }
    if (a.status === 'submitted' && mine) cell.append(h('span', { class: 'muted' }, kw('kbOwnNote')));
    if (a.status === 'published') {
      cell.append(
        h('button', { type: 'button', 'data-testid': 'kb-new-version', onclick: () => open(a, (r) => calls.newVersion(a.articleId, r)) }, kw('kbNewVersion')),
      );
    }
    return cell;
  };

  async function load(): Promise<void> {
    page.dataset.state = 'loading';
    try {
      const articles = (await calls.list()).sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.version - a.version);
      const head = [kw('kbArticles'), kw('kbVersion'), kw('kbStatus'), kw('kbSteps'), kw('kbAuthor'), kw('kbApprover'), kw('kbActions')];
      body.replaceChildren(
        articles.length
          ? h(
              'table',
              { class: 'qa-calls' },
              h('thead', {}, h('tr', {}, ...head.map((c) => h('th', {}, c)))),
              h(
                'tbody',
                {},
                articles.map((a) =>
                  h(
                    'tr',
                    { 'data-testid': 'kb-row', 'data-article-id': a.articleId, 'data-version': a.version, 'data-status': a.status },
                    h('td', {}, pick(a.title)),
                    h('td', {}, String(a.version)),
                    h('td', { 'data-testid': 'kb-status' }, kw(`st.${a.status}`)),
                    h('td', {}, a.steps.map((s) => `${names.flow(s.flowId)}/${s.stepId}`).join(' ')),
                    h('td', {}, a.createdBy),
                    h('td', {}, a.approvedBy ?? '—'),
                    actions(a),
                  ),
                ),
              ),
            )
          : h('p', { class: 'muted' }, kw('kbNone')),
      );
      page.dataset.state = 'ready';
    } catch (e) {
      error.textContent = errorText(e instanceof ApiError ? e.code : 'INTERNAL');
      page.dataset.state = 'error';
    }
  }

  page.append(
    h('h2', {}, kw('kbArticles')),
    writer ? h('button', { type: 'button', class: 'primary', 'data-testid': 'kb-new', onclick: () => open(null, (r) => calls.create(r)) }, kw('kbNew')) : '',
    message,
    error,
    editor,
    body,
  );
  void load();
  return page;
}
