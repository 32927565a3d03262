import type { FlowSummary } from '../../../protocol/flows.js';
import { api, loadSession, saveSession, type Session } from './api.js';
import { CallScreen } from '../agent/call-screen.js';
import type { ConnectionState } from '../net/socket.js';
import { mountDashboard } from '../dashboard/dashboard-page.js';
import { type DashboardPage, wantsDashboard } from '../dashboard/dashboard-nav.js';
import { mountEvaluation } from '../dashboard/evaluation-page.js';
import { mountHeatMap } from '../dashboard/heat-map-page.js';
import { mountBacklog } from '../redesign/backlog-page.js';
import { h } from './dom.js';
import { FlowEditor } from '../editor/editor-page.js';
import { mountFloor } from '../floor/floor-page.js';
import { mountAdmin } from '../admin/admin-page.js';
import { locale, setLocale, t } from './i18n.js';
import { learnFlows, names, untranslated } from './names.js';
import { renderLogin } from './login.js';
import { renderTiming } from '../agent/render-timing.js';
import { myScorecardsLink, renderMyScorecardsPage, wantsMyScorecards } from '../qa/qa-pages.js';
import { renderWorklist, wantsWorklist, worklistLink } from '../worklist/worklist-page.js';
import { knowledgeLink, renderKnowledgePage, wantsKnowledge } from '../knowledge/knowledge-page.js';
import { trainingApi } from '../training/training-api.js';
import { certificationsLink, mountTraining, renderCertifications, trainingLink, wantsCertifications, wantsTraining } from '../training/training-page.js';
import { renderQaHome, renderSupervisorHome } from './role-home.js';

const app = document.getElementById('app')!;
const header = h('header', { class: 'topbar' });
// The landmarks of every page: the top bar (banner, with the one h1) and the page itself (main).
const content = h('main', { class: 'content' });
app.replaceChildren(header, content);

let screen: CallScreen | null = null;
let connection: ConnectionState = 'offline';
let page: 'login' | 'calls' | 'home' | 'editor' | 'floor' | 'metrics' | 'people' = 'login';
let editor: FlowEditor | null = null;
/** Leaves the floor or a dashboard (sockets, timers, charts). */
let leavePage: (() => void) | null = null;

declare global {
  interface Window {
    __laihua: { renders: typeof renderTiming.renders; dropConnection(): void; untranslated: Set<string> };
  }
}
window.__laihua = { renders: renderTiming.renders, dropConnection: () => screen?.dropConnection(), untranslated };

function renderHeader(session: Session | null): void {
  const status = h('span', { class: `status ${connection}`, 'data-testid': 'connection-status', 'data-state': connection }, t(connection));
  header.replaceChildren(
    ...[
      h('h1', { class: 'brand' }, t('appTitle')),
      session && page === 'calls' ? status : null,
      h('span', { class: 'spacer' }),
      session?.role === 'agent' || session?.role === 'supervisor' ? worklistLink() : null,
      session?.role === 'agent' ? myScorecardsLink() : null,
      session?.role === 'agent' ? trainingLink() : null,
      session?.role === 'supervisor' ? certificationsLink() : null,
      session?.role === 'supervisor' || session?.role === 'qa' ? knowledgeLink() : null,
      session ? h('span', { 'data-testid': 'user-name' }, `${session.username} (${names.role(session.role)})`) : null,
      h(
        'button',
        {
          type: 'button',
          class: 'locale',
          'data-testid': 'locale-switch',
          'data-locale': locale(),
          onclick: () => {
            setLocale(locale() === 'zh-CN' ? 'en' : 'zh-CN');
            document.title = t('appTitle');
            if (page === 'calls' && screen) {
              renderHeader(session);
              screen.switchLocale();
            } else if (page === 'editor' && editor) {
              renderHeader(session);
              editor.render();
            } else void route();
          },
        },
        locale() === 'zh-CN' ? 'English' : '中文',
      ),
      session ? h('button', { type: 'button', 'data-testid': 'logout', onclick: () => void logout() }, t('logout')) : null,
    ].filter((x): x is HTMLElement => x !== null),
  );
}

async function logout(): Promise<void> {
  // The server ends the session (every token of the user) before the login form shows, so a sign-in
  // right after cannot be overtaken by it; an expired session or a lost network (5 s at most) is no
  // reason to keep the desk signed in.
  const token = loadSession()?.token;
  if (token) await api.logout(token).catch(() => undefined);
  screen?.unmount();
  screen = null;
  editor = null;
  history.replaceState(null, '', location.pathname);
  saveSession(null);
  sessionStorage.clear();
  if (location.hash) history.replaceState(null, '', location.pathname);
  void route();
}

async function showCalls(session: Session, flows: FlowSummary[]): Promise<void> {
  page = 'calls';
  flows = await offeredFlows(session, flows);
  renderHeader(session);
  screen = new CallScreen(content, session, flows, (state) => {
    connection = state;
    renderHeader(session);
  });
  await screen.mount();
}

/** With TRAINING_CERTIFIED_ONLY an agent is offered only the businesses they are certified for (docs/TRAINING.md). */
async function offeredFlows(session: Session, flows: FlowSummary[]): Promise<FlowSummary[]> {
  if (session.role !== 'agent') return flows;
  const mine = await trainingApi.mine(session.token).catch(() => null);
  if (!mine?.certifiedOnly) return flows;
  const certified = new Set(mine.certifications.filter((c) => c.certified).map((c) => c.flowId));
  return flows.filter((f) => f.kind !== 'business' || certified.has(f.id));
}

/** The flow editor for supervisors (QA: read-only), at #editor[/<flow>/<version>]. */
async function showEditor(session: Session): Promise<void> {
  page = 'editor';
  renderHeader(session);
  editor = new FlowEditor(session, () => {
    editor = null;
    history.replaceState(null, '', location.pathname);
    void route();
  });
  content.replaceChildren(editor.element);
  await editor.mount();
}

/** The live floor for supervisors, at #floor (src/floor, web/src/floor). */
function showFloor(session: Session): void {
  page = 'floor';
  renderHeader(session);
  leavePage = mountFloor(content, session, () => {
    history.replaceState(null, '', location.pathname);
    void route();
  });
}

/** The metrics dashboard (#/metrics), the blueprint heat map (#/metrics/heat-map), the evaluation model (#/metrics/evaluation) and the redesign backlog (#/metrics/backlog), supervisors and QA. */
function showDashboard(session: Session, which: DashboardPage): void {
  page = 'metrics';
  renderHeader(session);
  const mounts: Record<DashboardPage, () => () => void> = {
    metrics: () => mountDashboard(content, session),
    'heat-map': () => mountHeatMap(content, session),
    evaluation: () => mountEvaluation(content, session),
    backlog: () => mountBacklog(content, session),
  };
  leavePage = mounts[which]();
}

function openFloor(): void {
  history.replaceState(null, '', '#floor');
  void route();
}

function openEditor(): void {
  history.replaceState(null, '', '#editor');
  void route();
}

async function route(): Promise<void> {
  document.documentElement.lang = locale();
  document.title = t('appTitle');
  screen?.unmount();
  screen = null;
  leavePage?.();
  leavePage = null;
  const session = loadSession();
  if (!session) {
    page = 'login';
    renderHeader(null);
    renderLogin(content, (s) => {
      saveSession(s);
      void route();
    });
    return;
  }
  let flows: FlowSummary[];
  try {
    flows = await api.flows(session.token);
    learnFlows(flows);
  } catch {
    saveSession(null);
    return route();
  }
  // Admins manage people and nothing else: they land on the admin page whatever the address.
  if (session.role === 'admin') {
    page = 'people';
    renderHeader(session);
    leavePage = mountAdmin(content, session);
    return;
  }
  if (session.role !== 'agent' && location.hash.startsWith('#editor')) return showEditor(session);
  const dashboard = wantsDashboard();
  if (dashboard && session.role !== 'agent') return showDashboard(session, dashboard);
  // Agents have no dashboards: the address is dropped and they land on their call screen.
  if (dashboard) history.replaceState(null, '', location.pathname);
  if ((session.role === 'agent' || session.role === 'supervisor') && wantsWorklist()) {
    page = 'home';
    renderHeader(session);
    content.replaceChildren(renderWorklist(session, flows));
    return;
  }
  if (session.role === 'agent' && wantsTraining()) {
    page = 'home';
    renderHeader(session);
    leavePage = mountTraining(content, session, flows, (state) => {
      connection = state;
    });
    return;
  }
  if ((session.role === 'supervisor' || session.role === 'qa') && wantsKnowledge()) {
    page = 'home';
    renderHeader(session);
    content.replaceChildren(renderKnowledgePage(session, flows));
    return;
  }
  if (session.role === 'supervisor' && wantsCertifications()) {
    page = 'home';
    renderHeader(session);
    content.replaceChildren(renderCertifications(session));
    return;
  }
  if (session.role === 'agent' && wantsMyScorecards()) {
    page = 'home';
    renderHeader(session);
    content.replaceChildren(renderMyScorecardsPage(session));
    return;
  }
  if (session.role === 'supervisor' && location.hash.startsWith('#floor')) return showFloor(session);
  const wantsCalls = session.role === 'agent' || sessionStorage.getItem('laihua.takeCalls') === '1';
  if (wantsCalls) return showCalls(session, flows);
  page = 'home';
  renderHeader(session);
  content.replaceChildren(
    session.role === 'supervisor'
      ? renderSupervisorHome(
          flows,
          () => {
            sessionStorage.setItem('laihua.takeCalls', '1');
            void showCalls(session, flows);
          },
          openEditor,
          openFloor,
        )
      : renderQaHome(session, flows, openEditor),
  );
}

window.addEventListener('hashchange', () => void route());
void route();
