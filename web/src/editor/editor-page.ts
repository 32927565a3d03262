import type { AuditEntry, Finding, FlowVersions, VersionDetail } from '../../../protocol/authoring.js';
import type { Session } from '../app/api.js';
import { h } from '../app/dom.js';
import { pick } from '../app/i18n.js';
import { authoringApi, type FlowJson } from './authoring-api.js';
import { renderAudit } from './audit-view.js';
import { renderBlueprint } from './blueprint-view.js';
import { ct } from './campaign-i18n.js';
import { renderCampaigns } from './campaign-view.js';
import { renderDiffView } from './diff-view.js';
import { editorError, editorLabel, et } from './editor-i18n.js';
import { renderFindings } from './findings-view.js';
import { renderFlowList } from './flow-list.js';
import { renderRawJson } from './raw-json.js';
import { renderStepForm } from './step-form.js';
import { renderWorkflowButtons } from './workflow-buttons.js';

type Tab = 'step' | 'json' | 'diff' | 'audit' | 'campaigns';

/**
 * The supervisors' flow editor (QA reads it): the flow list with version states on the left; the
 * open version's blueprint, its step form / raw JSON / diff / audit / test dialling tabs and the workflow buttons
 * on the right. Edits change a working copy of the definition until Save (drafts only).
 */
export class FlowEditor {
  private flows: FlowVersions[] = [];
  private detail: VersionDetail | null = null;
  private definition: FlowJson | null = null;
  private findings: Finding[] = [];
  private audit: AuditEntry[] = [];
  private selected: string | null = null;
  private tab: Tab = 'step';
  private dirty = false;
  private jsonError: string | null = null;
  private blueprintRun = 0;
  private redrawTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly root = h('section', { class: 'editor', 'data-testid': 'editor' });
  private readonly listHolder = h('div', { class: 'editor-side' });
  private readonly main = h('div', { class: 'editor-main' });
  private readonly bpHolder = h('div', { class: 'blueprint-holder', 'data-testid': 'blueprint-holder' });

  constructor(
    private readonly session: Session,
    private readonly onHome: () => void,
  ) {
    this.root.append(this.listHolder, this.main);
  }

  get element(): HTMLElement {
    return this.root;
  }

  private get editable(): boolean {
    return this.session.role === 'supervisor' && this.detail?.status === 'draft';
  }

  /** Loads the flow list, and the version named in the address (#editor/<flow>/<version>) if any. */
  async mount(): Promise<void> {
    await this.reloadFlows();
    const [, flowId, version] = location.hash.split('/');
    if (flowId && Number(version) > 0) await this.open(decodeURIComponent(flowId), Number(version));
    else this.render();
  }

  /** Re-renders everything (e.g. after a locale switch), keeping unsaved edits. */
  render(): void {
    this.listHolder.replaceChildren(
      h('button', { type: 'button', class: 'link', 'data-testid': 'editor-home', onclick: this.onHome }, `← ${et('backHome')}`),
      renderFlowList(this.flows, this.detail, (f, v) => void this.open(f, v)),
    );
    if (!this.detail || !this.definition) {
      this.main.replaceChildren(h('p', { class: 'muted', 'data-testid': 'editor-empty' }, et('chooseVersion')));
      return;
    }
    const d = this.detail;
    const flow = this.flows.find((f) => f.id === d.flowId);
    this.main.replaceChildren(
      h(
        'header',
        {
          class: 'version-head card',
          'data-testid': 'version-head',
          'data-flow-id': d.flowId,
          'data-version': String(d.version),
          'data-status': d.status,
          'data-in-force': String(d.inForce),
          'data-loads': String(d.loads),
        },
        h(
          'h2',
          {},
          `${pick(flow?.title ?? this.definition.title)} · v${d.version} `,
          h('span', { class: `state-badge state-${d.status}`, 'data-testid': 'open-state' }, et(d.status)),
          d.inForce ? h('span', { class: 'state-badge in-force', 'data-testid': 'open-in-force' }, `★ ${et('inForce')}`) : null,
          d.loads ? null : h('span', { class: 'state-badge does-not-load', 'data-testid': 'open-does-not-load' }, `⚠ ${et('doesNotLoad')}`),
        ),
        d.loads
          ? null
          : h(
              'div',
              { class: 'load-problems error-text', 'data-testid': 'load-problems' },
              et('doesNotLoadWhy'),
              h(
                'ul',
                {},
                // The loader's schema messages are technical detail for the author, like the path (kept in the schema's words).
                d.loadProblems.map((p) =>
                  h('li', { 'data-testid': 'load-problem' }, h('code', {}, p.path), ' ', h('code', { 'data-author-id': '' }, p.message)),
                ),
              ),
            ),
        h('p', { class: 'muted' }, `${et('createdBy')} ${editorLabel(d.createdBy)}${d.basedOn ? ` · ${et('basedOn')} v${d.basedOn}` : ''}`),
        h(
          'div',
          { class: 'toolbar' },
          this.editable ? h('button', { type: 'button', class: 'primary', 'data-testid': 'save-draft', onclick: () => void this.save() }, et('save')) : null,
          h('span', { 'data-testid': 'save-status', class: 'muted' }, this.dirty ? et('dirty') : ''),
          renderWorkflowButtons({
            token: this.session.token,
            role: this.session.role,
            version: d,
            audit: this.audit,
            beforeSubmit: () => (this.dirty ? this.save() : Promise.resolve(true)),
            onDone: (v) => void this.reloadFlows().then(() => this.open(v.flowId, v.version)),
            onNewDraft: () => void this.newDraft(),
          }),
        ),
        h('div', { 'data-testid': 'save-findings' }, renderFindings(this.findings, 'findings', this.definition)),
      ),
      this.bpHolder,
      this.tabs(),
      this.tabPanel(),
    );
    this.drawBlueprint();
  }

  private tabs(): HTMLElement {
    const tab = (id: Tab, label: string) =>
      h(
        'button',
        {
          type: 'button',
          role: 'tab',
          class: `tab${this.tab === id ? ' active' : ''}`,
          'aria-selected': String(this.tab === id),
          'data-testid': `tab-${id}`,
          onclick: () => {
            this.tab = id;
            this.render();
          },
        },
        label,
      );
    return h(
      'div',
      { class: 'tabs', role: 'tablist' },
      tab('step', et('stepForm')),
      tab('json', et('rawJson')),
      tab('diff', et('diff')),
      tab('audit', et('audit')),
      tab('campaigns', ct('tab')),
    );
  }

  private tabPanel(): HTMLElement {
    const d = this.detail!;
    const def = this.definition!;
    const panel = h('div', { class: 'tab-panel card', 'data-tab': this.tab });
    if (this.tab === 'step') {
      panel.append(
        this.selected
          ? renderStepForm(def, this.selected, { editable: this.editable, onChange: () => this.changed() })
          : h('p', { class: 'muted' }, et('chooseStep')),
      );
    } else if (this.tab === 'json') {
      panel.append(
        renderRawJson(def, this.findings, {
          token: this.session.token,
          editable: this.editable,
          onValid: (next, found) => {
            this.jsonError = null;
            this.definition = next;
            this.findings = found;
            this.changed();
          },
          onInvalid: (message) => (this.jsonError = message),
        }),
      );
    } else if (this.tab === 'diff') {
      const versions = this.flows.find((f) => f.id === d.flowId)?.versions ?? [];
      const from = d.basedOn ?? versions.find((v) => v.inForce)?.version ?? versions[0]?.version ?? d.version;
      panel.append(renderDiffView(this.session.token, d.flowId, versions, from, d.version));
    } else if (this.tab === 'campaigns') {
      panel.append(renderCampaigns(this.session, d.flowId, d.version));
    } else {
      panel.append(renderAudit(this.audit));
    }
    return panel;
  }

  /** The working copy changed: mark it unsaved, redraw the blueprint shortly. */
  private changed(): void {
    this.dirty = true;
    const status = this.main.querySelector('[data-testid="save-status"]');
    if (status) status.textContent = et('dirty');
    const holder = this.main.querySelector('[data-testid="save-findings"]');
    holder?.replaceChildren(renderFindings(this.findings, 'findings', this.definition));
    clearTimeout(this.redrawTimer);
    this.redrawTimer = setTimeout(() => this.drawBlueprint(), 250);
  }

  private drawBlueprint(): void {
    const run = ++this.blueprintRun;
    const def = this.definition;
    if (!def) return;
    this.bpHolder.setAttribute('data-ready', 'false');
    renderBlueprint(def, {
      selected: this.selected,
      findings: this.findings,
      onSelect: (id) => {
        this.selected = id;
        this.tab = 'step';
        this.render();
        // The form opens below the blueprint: bring it into view, or the click seems to do nothing.
        this.main.querySelector('[data-testid="step-form"]')?.scrollIntoView({ block: 'start' });
      },
    }).then(
      (svg) => {
        if (run !== this.blueprintRun) return;
        this.bpHolder.replaceChildren(svg);
        this.bpHolder.setAttribute('data-ready', 'true');
      },
      (e: Error) => {
        if (run === this.blueprintRun)
          this.bpHolder.replaceChildren(h('p', { class: 'error-text', 'data-testid': 'blueprint-error', 'data-message': e.message }, et('blueprintFailed')));
      },
    );
  }

  private async reloadFlows(): Promise<void> {
    this.flows = await authoringApi.flows(this.session.token);
  }

  async open(flowId: string, version: number): Promise<void> {
    const [detail, audit] = await Promise.all([
      authoringApi.version(this.session.token, flowId, version),
      authoringApi.audit(this.session.token, flowId, version),
    ]);
    const sameVersion = this.detail?.flowId === flowId;
    this.detail = detail;
    this.definition = structuredClone(detail.definition);
    this.findings = detail.findings;
    this.audit = audit;
    this.dirty = false;
    this.jsonError = null;
    if (!sameVersion || !this.selected || !(this.selected in (this.definition?.machine?.states ?? {}))) this.selected = null;
    history.replaceState(null, '', `#editor/${encodeURIComponent(flowId)}/${version}`);
    this.render();
  }

  private async save(): Promise<boolean> {
    const d = this.detail;
    const status = this.main.querySelector('[data-testid="save-status"]');
    if (!d || !this.definition) return false;
    if (this.jsonError) {
      if (status) status.replaceChildren(h('span', { class: 'error-text', 'data-testid': 'save-error', 'data-message': this.jsonError }, et('jsonInvalid')));
      return false;
    }
    try {
      const saved = await authoringApi.save(this.session.token, d.flowId, d.version, this.definition);
      this.detail = saved;
      this.definition = structuredClone(saved.definition);
      this.findings = saved.findings;
      this.dirty = false;
      this.audit = await authoringApi.audit(this.session.token, d.flowId, d.version);
      this.render();
      this.main.querySelector('[data-testid="save-status"]')?.replaceChildren(h('span', { 'data-testid': 'saved' }, `✓ ${et('saved')}`));
      return true;
    } catch (e) {
      if (status)
        status.replaceChildren(
          h('span', { class: 'error-text', 'data-testid': 'save-error', 'data-code': (e as { code?: string }).code ?? '' }, editorError(e)),
        );
      return false;
    }
  }

  private async newDraft(): Promise<void> {
    const d = this.detail;
    if (!d) return;
    try {
      const draft = await authoringApi.newDraft(this.session.token, d.flowId, d.version);
      await this.reloadFlows();
      this.tab = 'step';
      await this.open(draft.flowId, draft.version);
    } catch (e) {
      this.main
        .querySelector('[data-testid="workflow-message"]')
        ?.replaceChildren(h('p', { class: 'error-text', 'data-testid': 'workflow-error', 'data-code': (e as { code?: string }).code ?? '' }, editorError(e)));
    }
  }
}
