import type { FloorSnapshot } from '../../../protocol/floor.js';
import type { Session } from '../app/api.js';
import { type ChartLike, loadChart, newChart } from '../app/chart-loader.js';
import { AppSocket, type ConnectionState, type RequestError } from '../net/socket.js';
import { dashboardNav } from '../dashboard/dashboard-nav.js';
import { h } from '../app/dom.js';
import { errorText, locale, t } from '../app/i18n.js';
import { names } from '../app/names.js';

const TICK_MS = 200;

const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(1);
const clock = (ms: number) => {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/**
 * The supervisors' live floor (#floor): tiles, alert banners, calls by business (chart.js), the
 * calls in progress, calls waiting on the back end with a live-ticking wait, agents online. Fed by
 * `floor.snapshot` frames; returns the function that leaves it (closes the socket and timers).
 */
export function mountFloor(container: HTMLElement, session: Session, onBack: () => void): () => void {
  const status = h('span', { class: 'status offline', 'data-testid': 'floor-status', 'data-state': 'offline' }, t('offline'));
  const updated = h('span', { class: 'muted', 'data-testid': 'floor-updated' });
  const problem = h('p', { class: 'error-text', 'data-testid': 'floor-error', hidden: true });
  const alerts = h('div', { class: 'floor-alerts', 'data-testid': 'floor-alerts', role: 'alert', 'aria-live': 'assertive' });
  const tiles = h('div', { class: 'floor-tiles' });
  const canvas = h('canvas', { 'data-testid': 'floor-chart', 'aria-label': t('floorByBusiness') });
  const businesses = h('tbody');
  const calls = h('tbody');
  const waiting = h('tbody');
  const agents = h('ul', { class: 'floor-agents' });

  const table = (heads: string[], body: HTMLElement, testid: string) =>
    h(
      'table',
      { class: 'floor-table', 'data-testid': testid },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          heads.map((x) => h('th', {}, x)),
        ),
      ),
      body,
    );

  container.replaceChildren(
    h(
      'section',
      { class: 'floor', 'data-testid': 'floor-page' },
      h(
        'div',
        { class: 'floor-head' },
        h('h2', {}, t('floorTitle')),
        status,
        updated,
        h('span', { class: 'spacer' }),
        dashboardNav(session, 'floor'),
        h('button', { type: 'button', 'data-testid': 'floor-back', onclick: onBack }, t('floorBack')),
      ),
      problem,
      alerts,
      tiles,
      h(
        'div',
        { class: 'floor-grid' },
        h(
          'div',
          { class: 'card' },
          h('h3', {}, t('floorByBusiness')),
          h('div', { class: 'floor-chart' }, canvas),
          table([t('floorBusiness'), t('floorStep'), t('floorCalls')], businesses, 'floor-business-table'),
        ),
        h(
          'div',
          { class: 'card' },
          h('h3', {}, t('floorWaiting')),
          table([t('callId'), t('floorOperation'), t('floorWaitedFor')], waiting, 'floor-waiting-table'),
          h('h3', {}, t('floorAgentsOnline')),
          agents,
        ),
      ),
      h(
        'div',
        { class: 'card' },
        h('h3', {}, t('floorActiveCalls')),
        table([t('floorAgent'), t('callerNumber'), t('floorBusiness'), t('floorStep'), t('floorInStep'), t('floorWaiting')], calls, 'floor-calls-table'),
      ),
    ),
  );

  let chart: ChartLike | null = null;
  let latest: { snapshot: FloorSnapshot; receivedAt: number } | null = null;
  let left = false;

  void loadChart().then((ok) => {
    if (!ok || left) return;
    chart = newChart(canvas, {
      type: 'bar',
      data: { labels: [], datasets: [{ label: t('floorCalls'), data: [], backgroundColor: '#0b63ce' }] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
    if (latest) updateChart(latest.snapshot);
  });

  const updateChart = (s: FloorSnapshot) => {
    if (!chart) return;
    chart.data.labels = s.byBusiness.map((b) => b.title);
    chart.data.datasets[0].data = s.byBusiness.map((b) => b.calls);
    chart.update('none');
    canvas.dataset.labels = JSON.stringify(chart.data.labels);
    canvas.dataset.values = JSON.stringify(chart.data.datasets[0].data);
  };

  const render = (s: FloorSnapshot, receivedAt: number) => {
    latest = { snapshot: s, receivedAt };
    updated.textContent = `${t('floorUpdated')} ${new Date(s.at).toLocaleTimeString(locale())}`;
    updated.dataset.at = s.at;
    const flowTitle = new Map(s.byBusiness.map((b) => [b.flowId, b.title]));
    const stepTitle = new Map(s.byBusiness.flatMap((b) => b.steps.map((st) => [`${b.flowId}/${st.stepId}`, st.title] as const)));

    alerts.replaceChildren(
      ...s.alerts.map((a) => {
        const params = {
          flow: flowTitle.get(a.flowId) ?? names.flow(a.flowId),
          step: stepTitle.get(`${a.flowId}/${a.stepId}`) ?? names.step(a.flowId, a.stepId),
        };
        // A wait alert's value is a wait: it ticks like the waits below (a marker splits the text around it).
        const [before, after] = (
          a.kind === 'wait'
            ? t('floorAlertWait', { ...params, value: '\u0001', threshold: seconds(a.threshold) })
            : a.kind === 'verification-locked'
              ? t('floorAlertLocked', { ...params, value: '\u0001' })
              : a.kind === 'work-items-overdue'
                ? t('floorAlertOverdue', { ...params, value: '\u0001' })
                : t('floorAlertFailure', { ...params, value: '\u0001', threshold: Math.round(a.threshold * 100) })
        ).split('\u0001');
        const value =
          a.kind === 'wait'
            ? h('span', { 'data-testid': 'floor-alert-value', 'data-waiting-ms': a.value }, seconds(a.value))
            : h(
                'span',
                { 'data-testid': 'floor-alert-value' },
                String(a.kind === 'verification-locked' || a.kind === 'work-items-overdue' ? a.value : Math.round(a.value * 100)),
              );
        return h(
          'div',
          {
            class: `floor-alert ${a.kind}`,
            'data-testid': 'floor-alert',
            'data-kind': a.kind,
            'data-flow-id': a.flowId,
            'data-step-id': a.stepId,
          },
          '⚠ ',
          before,
          value,
          after ?? '',
        );
      }),
    );

    const tile = (id: string, label: string, value: number, warn = false) =>
      h(
        'div',
        { class: `floor-tile${warn ? ' warn' : ''}`, 'data-testid': 'floor-tile', 'data-tile': id },
        h('span', { class: 'value', 'data-testid': `floor-tile-${id}` }, String(value)),
        h('span', { class: 'label' }, label),
      );
    tiles.replaceChildren(
      tile('calls', t('floorActiveCalls'), s.activeCalls.length),
      tile('agents', t('floorAgentsOnline'), s.agentsOnline.length),
      tile('waiting', t('floorWaiting'), s.waiting.length, s.waiting.length > 0),
      tile('alerts', t('floorAlerts'), s.alerts.length, s.alerts.length > 0),
    );

    businesses.replaceChildren(
      ...s.byBusiness.flatMap((b) =>
        b.steps.map((st, i) =>
          h(
            'tr',
            { 'data-testid': 'floor-business', 'data-flow-id': b.flowId, 'data-step-id': st.stepId },
            h('td', {}, i === 0 ? `${b.title} (${b.calls})` : ''),
            h('td', {}, st.title),
            h('td', { class: 'num' }, String(st.calls)),
          ),
        ),
      ),
    );

    calls.replaceChildren(
      ...(s.activeCalls.length
        ? s.activeCalls.map((c) =>
            h(
              'tr',
              {
                'data-testid': 'floor-call',
                'data-call-id': c.callId,
                'data-step-id': c.stepId,
                'data-flow-id': c.flowId,
                'data-waiting': c.waitingOn ? 'true' : 'false',
                class: c.waitingOn ? 'waiting' : '',
              },
              h('td', {}, c.agent),
              h('td', {}, c.callerNumber),
              h('td', {}, flowTitle.get(c.flowId) ?? names.flow(c.flowId)),
              h('td', {}, c.stepTitle),
              h('td', { class: 'num', 'data-since': c.since }, clock(Date.now() - Date.parse(c.since))),
              h('td', {}, c.waitingOn ? names.operation(c.waitingOn.operation) : ''),
            ),
          )
        : [h('tr', {}, h('td', { colspan: 6, class: 'muted' }, t('floorNoCalls')))]),
    );

    waiting.replaceChildren(
      ...(s.waiting.length
        ? s.waiting.map((w) =>
            h(
              'tr',
              { 'data-testid': 'floor-waiting', 'data-call-id': w.callId, 'data-operation': w.operation },
              h('td', { class: 'mono' }, w.callId.slice(0, 8)),
              h('td', {}, names.operation(w.operation)),
              h(
                'td',
                { class: 'num' },
                h('span', { 'data-testid': 'floor-wait-seconds', 'data-waiting-ms': w.waitingMs }, seconds(w.waitingMs)),
                ` ${t('seconds')}`,
              ),
            ),
          )
        : [h('tr', {}, h('td', { colspan: 3, class: 'muted' }, t('floorNoWaiting')))]),
    );

    agents.replaceChildren(
      ...(s.agentsOnline.length
        ? s.agentsOnline.map((a) =>
            h('li', { 'data-testid': 'floor-agent', 'data-username': a.username }, h('strong', {}, a.username), ` · ${a.calls} ${t('floorCalls')}`),
          )
        : [h('li', { class: 'muted' }, t('floorNoAgents'))]),
    );

    updateChart(s);
  };

  /** Waits and time-in-step tick locally between snapshots. */
  const tick = setInterval(() => {
    if (!latest) return;
    const gone = performance.now() - latest.receivedAt;
    for (const el of container.querySelectorAll<HTMLElement>('[data-waiting-ms]')) el.textContent = seconds(Number(el.dataset.waitingMs) + gone);
    for (const el of calls.querySelectorAll<HTMLElement>('[data-since]')) el.textContent = clock(Date.now() - Date.parse(el.dataset.since!));
  }, TICK_MS);

  const setState = (state: ConnectionState) => {
    status.className = `status ${state}`;
    status.dataset.state = state;
    status.textContent = t(state);
  };
  const showProblem = (error: RequestError) => {
    problem.hidden = false;
    problem.textContent = error.code === 'FORBIDDEN' ? t('floorForbidden') : errorText(error.code);
  };
  // Subscribes on every (re)connect, then only listens: snapshots are pushed.
  const socket = new AppSocket(session.token, locale(), {
    onState: setState,
    onOpen: () =>
      socket.request('floor.subscribe', {}).then(
        ({ data, receivedAt }) => render(data, receivedAt),
        (e: RequestError) => {
          if (e.code !== 'NETWORK') showProblem(e);
        },
      ),
    onPush: (frame, receivedAt) => {
      if (frame.event === 'floor.snapshot') render(frame.data, receivedAt);
      else if (frame.event === 'call.error') showProblem(frame.data);
    },
  });
  void socket.open();

  return () => {
    left = true;
    clearInterval(tick);
    socket.send('floor.unsubscribe', {});
    socket.close('floor closed');
    chart?.destroy();
  };
}
