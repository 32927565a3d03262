import type { Role } from '../../../protocol/auth.js';
import type { AuditEntry, Finding, VersionDetail, WorkflowAction } from '../../../protocol/authoring.js';
import { ApiError } from '../app/api.js';
import { h } from '../app/dom.js';
import { authoringApi } from './authoring-api.js';
import { editorError, et } from './editor-i18n.js';
import { renderFindings } from './findings-view.js';

export interface WorkflowOptions {
  token: string;
  role: Role;
  version: VersionDetail;
  audit: AuditEntry[];
  /** Saves pending edits first (drafts), resolving false if that failed. */
  beforeSubmit: () => Promise<boolean>;
  /** After a successful action: reload the list and the version. */
  onDone: (version: VersionDetail) => void;
  onNewDraft: () => void;
}

/**
 * The buttons the version's state and the user's role allow: submit (draft), approve / send back
 * (submitted), publish (approved), roll back (retired, once published), new draft (any). QA gets
 * none. The server decides (maker–checker); its refusal is shown as it says it.
 */
export function renderWorkflowButtons(opts: WorkflowOptions): HTMLElement {
  const { version: v } = opts;
  const box = h('div', { class: 'workflow', 'data-testid': 'workflow' });
  if (opts.role !== 'supervisor') return box;
  const message = h('div', { 'data-testid': 'workflow-message' });
  const comment = h('input', { 'data-testid': 'workflow-comment', placeholder: et('comment'), size: 30 });
  const act = async (action: WorkflowAction) => {
    message.replaceChildren();
    try {
      if (action === 'submit' && !(await opts.beforeSubmit())) return;
      const text = comment.value.trim() || undefined;
      opts.onDone(await authoringApi.act(opts.token, v.flowId, v.version, action, text));
    } catch (e) {
      const details =
        e instanceof ApiError && Array.isArray(e.details) && (e.details as Finding[]).every((d) => d && typeof d === 'object' && 'check' in d)
          ? renderFindings(e.details as Finding[], 'refused-findings', v.definition)
          : null;
      // A save before submitting re-renders the page: write where the message box is now.
      const target = message.isConnected ? message : (document.querySelector('[data-testid="workflow-message"]') ?? message);
      target.replaceChildren(
        h('p', { class: 'error-text', 'data-testid': 'workflow-error', 'data-code': (e as ApiError).code ?? '' }, editorError(e)),
        details ?? '',
      );
    }
  };
  const button = (testId: string, label: string, action: WorkflowAction, primary = false) =>
    h('button', { type: 'button', class: primary ? 'primary' : null, 'data-testid': testId, onclick: () => void act(action) }, label);
  const wasPublished = v.everPublished;
  const buttons = [
    v.status === 'draft' ? button('submit-version', et('submit'), 'submit', true) : null,
    v.status === 'submitted' ? button('approve-version', et('approve'), 'approve', true) : null,
    v.status === 'approved' ? button('publish-version', et('publish'), 'publish', true) : null,
    v.status === 'submitted' || v.status === 'approved' ? button('reject-version', et('reject'), 'reject') : null,
    v.status === 'retired' && wasPublished ? button('rollback-version', et('rollback'), 'publish') : null,
  ].filter((b): b is HTMLButtonElement => b !== null);
  box.append(
    ...buttons,
    v.status === 'submitted' || v.status === 'approved' ? comment : '',
    h('button', { type: 'button', 'data-testid': 'new-draft', onclick: opts.onNewDraft }, et('newDraft')),
    message,
  );
  return box;
}
