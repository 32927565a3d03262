import type { CallView } from '../../../protocol/call-view.js';
import type { Article, SearchHit, SearchReply } from '../../../protocol/knowledge.js';
import { queryString, request } from '../app/api.js';
import { h } from '../app/dom.js';
import { locale, t } from '../app/i18n.js';

const TAGS = new Set([
  'P',
  'BR',
  'B',
  'STRONG',
  'I',
  'EM',
  'U',
  'S',
  'UL',
  'OL',
  'LI',
  'H3',
  'H4',
  'BLOCKQUOTE',
  'CODE',
  'PRE',
  'A',
  'TABLE',
  'THEAD',
  'TBODY',
  'TR',
  'TH',
  'TD',
]);

/**
 * An article body as DOM nodes. The server already sanitized it; the page still never assigns it as
 * markup: it is parsed inert (DOMParser runs nothing) and rebuilt from allow-listed tags, text and
 * http(s)/mailto/tel links only.
 */
export function safeBody(html: string): DocumentFragment {
  const out = document.createDocumentFragment();
  const copy = (from: Node, to: Node) => {
    for (const node of Array.from(from.childNodes)) {
      if (node.nodeType === Node.TEXT_NODE) to.appendChild(document.createTextNode(node.textContent ?? ''));
      else if (node instanceof Element && TAGS.has(node.tagName)) {
        const el = document.createElement(node.tagName.toLowerCase());
        const href = node.getAttribute('href');
        if (node.tagName === 'A' && href && /^(https?:|mailto:|tel:)/i.test(href)) el.setAttribute('href', href);
        if (node.tagName === 'A') el.setAttribute('rel', 'noopener noreferrer');
        if (node.tagName === 'A') el.setAttribute('target', '_blank');
        copy(node, el);
        to.appendChild(el);
      } else if (node instanceof Element) copy(node, to);
    }
  };
  copy(new DOMParser().parseFromString(html, 'text/html').body, out);
  return out;
}

const articleCard = (a: Article) =>
  h(
    'article',
    { class: 'kb-article', 'data-testid': 'kb-article', 'data-article-id': a.articleId },
    h('h4', {}, a.title[locale()]),
    h('div', { class: 'kb-body' }, safeBody(a.body[locale()])),
  );

/**
 * Beside the script: the knowledge articles linked to the current step (published, valid, for the
 * customer's region) and the one search box over articles, businesses and scenarios. Each search and
 * the hit opened after it are logged (with the open call) for search accuracy.
 */
export class KnowledgePanel {
  readonly element: HTMLElement;
  private readonly stepArticles = h('div', { 'data-testid': 'kb-step-articles' });
  private readonly input: HTMLInputElement;
  private readonly hits = h('ul', { class: 'kb-hits', 'data-testid': 'kb-hits' });
  private readonly opened = h('div', { 'data-testid': 'kb-opened' });
  private readonly heading = h('h3', {});
  private readonly searchLabel = h('label', { for: 'kb-search' });
  private shownStep = '';
  private view?: CallView;

  constructor(private readonly token: string) {
    this.input = h('input', { id: 'kb-search', type: 'search', 'data-testid': 'kb-search', autocomplete: 'off', maxlength: 100 });
    const form = h('form', { role: 'search', onsubmit: (e: Event) => (e.preventDefault(), void this.search()) }, this.searchLabel, this.input);
    this.element = h('aside', { class: 'knowledge', 'data-testid': 'knowledge' }, this.heading, this.stepArticles, form, this.hits, this.opened);
    this.renderWords();
  }

  renderWords(): void {
    this.heading.textContent = t('knowledge');
    this.searchLabel.textContent = t('searchKnowledge');
    this.input.placeholder = t('searchKnowledgeHint');
    if (this.view) void this.showStep(this.view, true);
  }

  /** Called for every view shown: the step's articles are fetched again only when the step changes. */
  async showStep(view: CallView | undefined, force = false): Promise<void> {
    this.view = view;
    const key = view && view.status === 'active' ? `${view.flow.id}/${view.step.id}/${view.customer?.region ?? ''}` : '';
    if (key === this.shownStep && !force) return;
    this.shownStep = key;
    if (!view || !key) return void this.stepArticles.replaceChildren();
    const query = queryString({ flowId: view.flow.id, stepId: view.step.id, region: view.customer?.region });
    const articles = await request<Article[]>(`/api/knowledge/step-articles?${query}`, { token: this.token }).catch(() => []);
    if (this.shownStep !== key) return;
    this.stepArticles.replaceChildren(...(articles.length ? articles.map(articleCard) : [h('p', { class: 'muted' }, t('noStepArticles'))]));
  }

  private async search(): Promise<void> {
    const q = this.input.value.trim();
    if (!q) return void this.hits.replaceChildren();
    const callId = this.view?.status === 'active' ? this.view.callId : undefined;
    const reply = await request<SearchReply>(`/api/knowledge/search?${queryString({ q, callId })}`, { token: this.token });
    this.opened.replaceChildren();
    this.hits.replaceChildren(
      ...(reply.hits.length ? reply.hits.map((hit) => this.hitItem(reply.searchId, hit)) : [h('li', { class: 'muted' }, t('noKnowledgeHits'))]),
    );
  }

  private hitItem(searchId: number, hit: SearchHit): HTMLElement {
    const open = async () => {
      await request(`/api/knowledge/searches/${searchId}/pick`, { method: 'POST', token: this.token, body: JSON.stringify({ kind: hit.kind, id: hit.id }) });
      if (hit.kind !== 'article')
        return void this.opened.replaceChildren(h('p', {}, `${t(hit.kind === 'business' ? 'kbBusiness' : 'kbScenario')}: ${hit.title}`));
      const article = await request<Article>(`/api/knowledge/published/${encodeURIComponent(hit.id)}`, { token: this.token });
      this.opened.replaceChildren(articleCard(article));
    };
    return h(
      'li',
      {},
      h(
        'button',
        { type: 'button', class: 'link', 'data-testid': 'kb-hit', 'data-kind': hit.kind, 'data-id': hit.id, onclick: () => void open() },
        h('span', { class: 'kb-kind' }, t(hit.kind === 'article' ? 'kbArticle' : hit.kind === 'business' ? 'kbBusiness' : 'kbScenario')),
        ' ',
        hit.title,
      ),
    );
  }
}
