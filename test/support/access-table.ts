/**
 * The expected access, as data: who may call each HTTP route and send each WebSocket message.
 * test/e2e/access-matrix.e2e-spec.ts checks the server against it (and that it names exactly what the
 * app registers); docs/RELIABILITY.md shows it, generated from here (UPDATE_ACCESS_DOC=1).
 */
import { randomUUID } from 'node:crypto';

export type Role = 'agent' | 'supervisor' | 'qa' | 'admin';
/** Any signed-in user (routes and messages without @Roles). */
const ALL: readonly Role[] = ['agent', 'supervisor', 'qa', 'admin'];
const ADMIN: readonly Role[] = ['admin'];
/** The call-centre roles (admins manage people only). */
const STAFF: readonly Role[] = ['agent', 'supervisor', 'qa'];
const SUP_QA: readonly Role[] = ['supervisor', 'qa'];
const SUP: readonly Role[] = ['supervisor'];

/**
 * Who may call what: `public` (no token needed), `metrics-token` (METRICS_TOKEN, not a JWT),
 * `cti-signature` (no token either, but a body signed with CTI_SECRET: docs/CTI.md — no caller of
 * the matrix has one), `survey-signature` (the same, signed with SURVEY_SECRET: docs/SATISFACTION.md),
 * or the roles allowed.
 */
export type Access = 'public' | 'metrics-token' | 'cti-signature' | 'survey-signature' | readonly Role[];

export const HTTP_ACCESS: Record<string, Access> = {
  'POST /api/auth/login': 'public',
  // Ends every session of the caller: the matrix calls it last, with tokens of its own.
  'POST /api/auth/logout': ALL,
  // Single sign-on (docs/SSO.md): the login page's options, then browser navigations to and from the provider.
  'GET /api/auth/oidc/options': 'public',
  'GET /api/auth/oidc/start': 'public',
  'GET /api/auth/oidc/callback': 'public',
  'GET /api/health': 'public',
  'GET /metrics': 'metrics-token',
  'POST /api/cti/events': 'cti-signature',
  'POST /api/satisfaction/replies': 'survey-signature',

  'GET /api/flows': ALL,
  'GET /api/flows/:id': ALL,
  'GET /api/customers/:msisdn': ['agent', 'supervisor'],
  'GET /api/profile-reads': SUP,
  'POST /api/erasures': SUP,
  'GET /api/erasures': SUP,
  'GET /api/calls/:id': ALL,
  'POST /api/calls/:id/replay': ALL,

  'GET /api/qa/calls': SUP_QA,
  'GET /api/qa/calls/:id/replay': STAFF,
  'GET /api/qa/scorecard-form': STAFF,
  'POST /api/qa/calls/:id/scorecards': SUP_QA,
  'GET /api/qa/calls/:id/scorecards': STAFF,
  'PUT /api/qa/scorecards/:id': SUP_QA,
  'GET /api/qa/scorecards/:id/revisions': STAFF,
  'GET /api/qa/my-scorecards': STAFF,

  'GET /api/metrics/summary': SUP_QA,
  'GET /api/metrics/flows/:flowId/steps': SUP_QA,
  'GET /api/metrics/offers': SUP_QA,
  'GET /api/metrics/compliance': SUP_QA,
  'GET /api/metrics/compare': SUP_QA,
  'GET /api/metrics/satisfaction': SUP_QA,

  'POST /api/calls/:id/flags': ['agent'],
  'POST /api/qa/calls/:id/flags': ['qa'],
  'GET /api/redesign/:flowId/backlog': SUP_QA,
  'GET /api/redesign/:flowId/flags': SUP_QA,

  'POST /api/campaigns': SUP,
  'GET /api/campaigns': SUP_QA,
  'GET /api/campaigns/:id': SUP_QA,

  'GET /api/evaluation/model': SUP_QA,
  'GET /api/evaluation/scores': SUP_QA,
  'GET /api/evaluation/quadrant': SUP_QA,
  'GET /api/evaluation/other-needs': SUP_QA,

  'GET /api/authoring/flows': SUP_QA,
  'GET /api/authoring/flows/:flowId/versions/:version': SUP_QA,
  'GET /api/authoring/flows/:flowId/diff': SUP_QA,
  'GET /api/authoring/flows/:flowId/versions/:version/paths': SUP_QA,
  'GET /api/authoring/audit': SUP_QA,
  'GET /api/authoring/policies': SUP_QA,
  'POST /api/authoring/flows/:flowId/versions': SUP,
  'PUT /api/authoring/flows/:flowId/versions/:version': SUP,
  'POST /api/authoring/check': SUP,
  'POST /api/authoring/flows/:flowId/versions/:version/submit': SUP,
  'POST /api/authoring/flows/:flowId/versions/:version/approve': SUP,
  'POST /api/authoring/flows/:flowId/versions/:version/reject': SUP,
  'POST /api/authoring/flows/:flowId/versions/:version/publish': SUP,
  'POST /api/authoring/flows/:flowId/versions/:version/retire': SUP,
  'POST /api/authoring/flows/:flowId/versions/:version/dry-runs': SUP,
  'POST /api/authoring/dry-runs/:id/decisions': SUP,

  'GET /api/knowledge/articles': SUP_QA,
  'POST /api/knowledge/articles': SUP,
  'GET /api/knowledge/articles/:articleId/versions/:version': SUP_QA,
  'POST /api/knowledge/articles/:articleId/versions': SUP,
  'PUT /api/knowledge/articles/:articleId/versions/:version': SUP,
  'POST /api/knowledge/articles/:articleId/versions/:version/submit': SUP,
  'POST /api/knowledge/articles/:articleId/versions/:version/approve': SUP,
  'POST /api/knowledge/articles/:articleId/versions/:version/reject': SUP,
  'GET /api/knowledge/audit': SUP_QA,
  'GET /api/knowledge/step-articles': STAFF,
  'GET /api/knowledge/published/:articleId': STAFF,
  'GET /api/knowledge/search': STAFF,
  'POST /api/knowledge/searches/:searchId/pick': STAFF,
  'GET /api/knowledge/search-accuracy': SUP_QA,

  'GET /api/work-items': ['agent', 'supervisor'],
  'GET /api/work-items/on-time': SUP_QA,
  'GET /api/work-items/:id': ['agent', 'supervisor'],
  'POST /api/work-items/:id/claim': ['agent', 'supervisor'],
  'POST /api/work-items/:id/status': ['agent', 'supervisor'],
  'POST /api/work-items/:id/callback': ['agent', 'supervisor'],
  'GET /api/knowledge/quick-answers': ['agent', 'supervisor'],
  'POST /api/calls/:id/quick-answers': ['agent', 'supervisor'],

  'GET /api/training/scenarios': ['agent', 'supervisor'],
  'POST /api/training/calls': ['agent'],
  'GET /api/training/calls/:id': ['agent', 'supervisor'],
  'GET /api/training/me': ['agent'],
  'GET /api/training/certifications': SUP,

  'GET /api/people/users': ADMIN,
  'POST /api/people/users': ADMIN,
  'PATCH /api/people/users/:id': ADMIN,
  'POST /api/people/users/:id/password-reset': ADMIN,
  'GET /api/people/teams': ADMIN,
  'POST /api/people/teams': ADMIN,
  'PATCH /api/people/teams/:id': ADMIN,
  'POST /api/people/import': ADMIN,
  'GET /api/people/audit': ADMIN,
};

/** Served outside Nest's router (Swagger, static files): open by design. */
export const PUBLIC_EXTRAS = ['GET /api/openapi.json', 'GET /api/docs', 'GET /', 'GET /app/main.js'];

/** Per WebSocket message: who may send it, and a payload that passes validation (so an allowed cell gets past the DTO). */
export const WS_ACCESS: Record<string, { roles: readonly Role[]; sample: () => Record<string, unknown> }> = {
  'call.start': { roles: ['agent', 'supervisor'], sample: () => ({ callerNumber: '19999999999', flowId: 'suspend-service' }) },
  'call.decide': { roles: ['agent', 'supervisor'], sample: () => ({ callId: randomUUID(), seq: 1, option: 'continue' }) },
  'call.attach': { roles: ['agent', 'supervisor'], sample: () => ({ callId: randomUUID() }) },
  'call.hangup': { roles: ['agent', 'supervisor'], sample: () => ({ callId: randomUUID() }) },
  'flow.search': { roles: ALL, sample: () => ({ q: 'bill' }) },
  'floor.subscribe': { roles: SUP, sample: () => ({}) },
  'floor.unsubscribe': { roles: SUP, sample: () => ({}) },
};

/** Callers other than the three roles: tokens that must all be refused, and the metrics scrape token. */
export type PrincipalKind = { role: Role } | { invalid: string } | { metrics: true };

export function allowed(access: Access, kind: PrincipalKind): boolean {
  if (access === 'public') return true;
  if (access === 'metrics-token') return 'metrics' in kind;
  if (access === 'cti-signature' || access === 'survey-signature') return false;
  return 'role' in kind && access.includes(kind.role);
}

const ROLES: readonly Role[] = ['agent', 'supervisor', 'qa', 'admin'];
const cell = (access: Access, role: Role) =>
  access === 'public'
    ? 'open'
    : access === 'metrics-token'
      ? '401 (a JWT is not the metrics token)'
      : access === 'cti-signature'
        ? '401 (a JWT is not a CTI signature)'
        : access === 'survey-signature'
          ? '401 (a JWT is not a survey signature)'
          : access.includes(role)
            ? '✓'
            : '403';
const anonymous = (access: Access) =>
  access === 'public'
    ? 'open'
    : access === 'metrics-token'
      ? '401 without `Bearer <METRICS_TOKEN>`; open when METRICS_TOKEN is unset'
      : access === 'cti-signature'
        ? '401 unless signed with CTI_SECRET (docs/CTI.md); 404 when CTI_SECRET is unset'
        : access === 'survey-signature'
          ? '401 unless signed with SURVEY_SECRET (docs/SATISFACTION.md); 404 when SURVEY_SECRET is unset'
          : '401';

/** The matrix as Markdown (docs/RELIABILITY.md), routes in path order. */
export function accessMarkdown(): string {
  const lines = [
    '| HTTP route | agent | supervisor | qa | admin | no / bad token |',
    '|---|---|---|---|---|---|',
    ...Object.entries(HTTP_ACCESS)
      .sort(([a], [b]) => a.split(' ')[1].localeCompare(b.split(' ')[1]) || a.localeCompare(b))
      .map(([key, access]) => `| \`${key}\` | ${ROLES.map((r) => cell(access, r)).join(' | ')} | ${anonymous(access)} |`),
    ...PUBLIC_EXTRAS.map((key) => `| \`${key}\` (outside the router) | open | open | open | open | open |`),
    '',
    '| WebSocket message | agent | supervisor | qa | admin |',
    '|---|---|---|---|---|',
    ...Object.entries(WS_ACCESS)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([event, { roles }]) => `| \`${event}\` | ${ROLES.map((r) => (roles.includes(r) ? '✓' : 'FORBIDDEN')).join(' | ')} |`),
  ];
  return lines.join('\n');
}
