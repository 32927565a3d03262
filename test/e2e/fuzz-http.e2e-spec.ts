/**
 * Hostile input over HTTP (docs/RELIABILITY.md "Hostile input"): every route that takes a body,
 * found from the controllers' decorators, gets a valid body with one mutation that makes it
 * invalid, and raw bodies (not JSON, bad charset, invalid UTF-8, over the size limit, deep). Each
 * gets a 4xx with the typed error body; afterwards no row of any table has changed, the server
 * logged no error, and it still serves a real call. Flow definitions that name implementations the
 * registry lacks, or carry code-like strings, are saved as inert drafts at most and never pass
 * submission or a dry run.
 */
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CTI_SECRET, ctiSignature } from '../support/cti';
import { SURVEY_SECRET } from '../support/survey';
import { CallDriver, expectStep } from '../support/flow';
import { CLIENT_ERRORS, dtoFields, errorLines, type FieldSpec, fuzzParams, FUZZ_RUNS, fuzzTimeout, mutation, nested, toJson } from '../support/fuzz';
import { fingerprint } from '../support/db-state';
import { http, WsClient } from '../support/client';
import { expectDocumented } from '../support/openapi-check';
import { REPO_ROOT } from '../support/server';
import { useServer } from '../support/use-server';

const BODY_LIMIT = 256 * 1024;
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
const ROLE_USER: Record<string, string> = { supervisor: 'supervisor1', qa: 'qa1', agent: 'agent1', admin: 'admin1' };

interface Route {
  method: string;
  path: string;
  user: string | null;
  fields: FieldSpec[] | null;
}

/** Every route of every controller under src/, with the DTO its body is validated against (null: no body). */
function routes(): Route[] {
  const files = fs.readdirSync(path.join(REPO_ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.controller.ts'));
  return files.flatMap((file) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exports = require(path.join(REPO_ROOT, 'src', file)) as Record<string, unknown>;
    return Object.values(exports).flatMap((cls) => {
      if (typeof cls !== 'function' || Reflect.getMetadata('path', cls) === undefined) return [];
      const base = String(Reflect.getMetadata('path', cls));
      const proto = (cls as { prototype: Record<string, unknown> }).prototype;
      return Object.getOwnPropertyNames(proto).flatMap((name) => {
        const handler = proto[name] as object;
        const method = Reflect.getMetadata('method', handler) as number | undefined;
        if (method === undefined || name === 'constructor') return [];
        const sub = String(Reflect.getMetadata('path', handler) ?? '');
        const args = (Reflect.getMetadata('__routeArguments__', cls, name) ?? {}) as Record<string, { index: number }>;
        const body = Object.entries(args).find(([key]) => key.split(':')[0] === '3');
        const types = Reflect.getMetadata('design:paramtypes', proto, name) as (new () => object)[];
        const roles = (Reflect.getMetadata('roles', handler) ?? Reflect.getMetadata('roles', cls) ?? null) as string[] | null;
        // The guard is global and denies by default: only @Public() routes are reached without a token.
        const guarded = !(Reflect.getMetadata('public', handler) ?? Reflect.getMetadata('public', cls));
        return [
          {
            method: METHODS[method],
            path: `/${[base, sub].filter((p) => p && p !== '/').join('/')}`.replace(/\/+/g, '/'),
            user: guarded ? ROLE_USER[roles?.[0] ?? 'supervisor'] : null,
            fields: body ? dtoFields(types[body[1].index]) : null,
          },
        ];
      });
    });
  });
}

const fillPath = (p: string) =>
  p
    .replace(':articleId', 'kb-fuzz')
    .replace(':searchId', '1')
    .replace(':flowId', 'suspend-service')
    .replace(':version', '1')
    .replace(':msisdn', '13800000001')
    .replace(':id', randomUUID());

describe('hostile input over HTTP', () => {
  // CTI on: its webhook's bodies are signed (below), so they reach validation like any other body.
  const server = useServer({ users: Object.values(ROLE_USER), env: { CTI_SECRET, SURVEY_SECRET } });
  const { tokens } = server;
  const all = routes();
  const withBody = all.filter((r) => r.fields);
  const sending = all.filter((r) => r.method !== 'GET');

  async function send(route: Route, body: string | Buffer, contentType = 'application/json'): Promise<{ status: number; json: any; text: string }> {
    const headers: Record<string, string> = { 'content-type': contentType };
    if (route.user) headers.authorization = `Bearer ${tokens[route.user]}`;
    if (route.path === '/api/cti/events') {
      const timestamp = Math.floor(Date.now() / 1000);
      headers['x-cti-timestamp'] = String(timestamp);
      headers['x-cti-signature'] = ctiSignature(CTI_SECRET, timestamp, body);
    }
    if (route.path === '/api/satisfaction/replies') {
      // The survey answers are signed by the same scheme (docs/SATISFACTION.md), under their own headers and secret.
      const timestamp = Math.floor(Date.now() / 1000);
      headers['x-survey-timestamp'] = String(timestamp);
      headers['x-survey-signature'] = ctiSignature(SURVEY_SECRET, timestamp, body);
    }
    const url = fillPath(route.path);
    const res = await fetch(`${server.baseUrl}${url}`, {
      method: route.method,
      headers,
      body: typeof body === 'string' ? body : new Uint8Array(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    await expectDocumented(server.baseUrl, route.method, url, { status: res.status, contentType: res.headers.get('content-type'), text });
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      /* checked below */
    }
    return { status: res.status, json, text };
  }

  /** A 4xx with the typed error body `{code, message}` whose code matches the status. */
  function expectTyped(res: { status: number; json: any; text: string }, what: string, statuses = [400, 413], code?: string) {
    const typed = res.json && typeof res.json.message === 'string' && CLIENT_ERRORS.includes(res.json.code);
    const status = ({ BAD_JSON: 400, VALIDATION_FAILED: 400, PAYLOAD_TOO_LARGE: 413 } as Record<string, number>)[res.json?.code];
    // A body that is not JSON is BAD_JSON (PROTOCOL.md §5); one over the limit says the limit.
    const expected = (!code || res.json?.code === code) && (res.json?.code !== 'PAYLOAD_TOO_LARGE' || res.json.details?.limit === BODY_LIMIT);
    if (!statuses.includes(res.status) || !typed || status !== res.status || !expected)
      throw new Error(`${what}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
  }

  it('finds every route that takes a body', () => {
    expect(withBody.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining([
        'POST /api/auth/login',
        'POST /api/authoring/flows/:flowId/versions',
        'PUT /api/authoring/flows/:flowId/versions/:version',
        'POST /api/authoring/check',
        'POST /api/qa/calls/:id/scorecards',
        'PUT /api/qa/scorecards/:id',
        'POST /api/cti/events',
        'POST /api/people/users',
        'PATCH /api/people/users/:id',
        'POST /api/people/import',
        'POST /api/erasures',
        'POST /api/knowledge/articles',
        'POST /api/knowledge/searches/:searchId/pick',
        'POST /api/work-items/:id/status',
        'POST /api/work-items/:id/callback',
        'POST /api/calls/:id/quick-answers',
        'POST /api/training/calls',
        'POST /api/satisfaction/replies',
        'POST /api/calls/:id/flags',
        'POST /api/qa/calls/:id/flags',
        'POST /api/campaigns',
      ]),
    );
  });

  it(
    'refuses every mutated body with a typed 4xx, changes nothing, logs nothing',
    async () => {
      const before = fingerprint(server.dataDir);
      const outputBefore = server.output().length;
      const valid: Record<string, unknown> = {
        username: 'agent1',
        password: 'demo',
        definition: { id: 'x' },
        basedOn: 1,
        comment: 'ok',
        msisdn: '13800000001',
        locale: 'en',
        seq: 1,
        option: 'continue',
        marks: { greeting: { score: 5 } },
        revision: 1,
        eventId: 'evt-fuzz-1',
        type: 'call.offered',
        ctiCallId: 'pbx-fuzz-1',
        callerNumber: '13800000001',
        ivrPath: ['1'],
        role: 'agent',
        name: 'Team North',
        csv: 'username,role,password',
        title: { 'zh-CN': '停机', en: 'Suspend' },
        body: { 'zh-CN': '<p>停机</p>', en: '<p>Suspend</p>' },
        tags: [],
        steps: [],
        regions: [],
        kind: 'article',
        id: 'kb-fuzz',
        status: 'in-progress',
        flowId: 'bill-inquiry',
        messageId: 'mo-fuzz-1',
        channel: 'sms',
        answer: '5',
        repliedAt: '2026-12-04T00:00:00.000Z',
        reason: 'other',
        text: 'does not fit',
        at: '2030-01-01T00:00:00.000Z',
        answerId: 'why-bill-high',
        version: 1,
        calls: 2,
      };
      const skeleton = (fields: FieldSpec[]) =>
        Object.fromEntries(
          fields
            .filter((f) => !f.optional)
            .map((f) => {
              if (!(f.name in valid)) throw new Error(`no valid example for body field '${f.name}': add one so it is fuzzed`);
              return [f.name, valid[f.name]];
            }),
        );
      const cases = fc.constantFrom(...withBody).chain((r) => mutation(r.fields!).map((mut) => ({ r, mut })));
      await fc.assert(
        fc.asyncProperty(cases, async ({ r, mut }) => {
          const text = toJson(mut.apply(skeleton(r.fields!)));
          expectTyped(await send(r, text), `${r.method} ${r.path} / ${mut.kind}`, Buffer.byteLength(text) > BODY_LIMIT ? [413] : [400]);
        }),
        fuzzParams(),
      );
      expect(fingerprint(server.dataDir)).toEqual(before);
      expect(errorLines(server.output().slice(outputBefore))).toEqual([]);
    },
    fuzzTimeout(),
  );

  it(
    'refuses raw bodies on every route that accepts one: not JSON, bad charset, over the limit, too deep',
    async () => {
      const before = fingerprint(server.dataDir);
      const outputBefore = server.output().length;
      const notJson = fc.oneof(fc.string({ minLength: 1 }), fc.constantFrom('NaN', '{"a":', "{'a':1}", '{"a":1}}', '\u0000')).filter((s) => {
        try {
          JSON.parse(s);
          return false;
        } catch {
          return s.trim().length > 0;
        }
      });
      type Raw = { body: string | Buffer; type?: string; statuses: number[]; code?: string; onlyWithBody?: boolean };
      const raw: fc.Arbitrary<Raw> = fc.oneof(
        notJson.map((s) => ({ body: s, statuses: [400], code: 'BAD_JSON' })),
        // Charsets the JSON reader does not take (utf-7 it would decode, so a valid body in it is simply a valid request).
        fc
          .constantFrom('klingon', 'utf-32', 'ebcdic', 'iso-8859-1')
          .map((cs) => ({ body: '{"x":1}', type: `application/json; charset=${cs}`, statuses: [400], code: 'BAD_JSON' })),
        fc.integer({ min: BODY_LIMIT + 1, max: BODY_LIMIT * 4 }).map((n) => ({ body: `{"a":"${'x'.repeat(n)}"}`, statuses: [413], code: 'PAYLOAD_TOO_LARGE' })),
        // Only where a DTO reads the body; a body-less route ignores a well-formed body.
        fc.constantFrom(40, 1000, 100_000).map((d) => ({ body: toJson({ a: nested(d, 'array') }), statuses: [400, 413], onlyWithBody: true })),
        fc
          .jsonValue()
          .filter((v) => typeof v !== 'object' || v === null)
          .map((v) => ({ body: JSON.stringify(v), statuses: [400], onlyWithBody: true })),
        fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => ({
          body: Buffer.concat([Buffer.from('{"username":"'), Buffer.from(bytes.map((b) => b | 0x80)), Buffer.from('"}')]),
          statuses: [400],
          onlyWithBody: true,
        })),
        fc
          .constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data')
          .map((type) => ({ body: 'username=agent1&password=demo', type, statuses: [400], code: 'BAD_JSON', onlyWithBody: true })),
      );
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...sending), raw, async (route, c) => {
          if (c.onlyWithBody && !route.fields) return;
          expectTyped(
            await send(route, c.body, c.type),
            `${route.method} ${route.path} / raw ${String(c.body).slice(0, 60)} (${c.type ?? 'json'})`,
            c.statuses,
            c.code,
          );
        }),
        fuzzParams(Math.max(60, Math.round(FUZZ_RUNS / 2))),
      );
      expect(fingerprint(server.dataDir)).toEqual(before);
      expect(errorLines(server.output().slice(outputBefore))).toEqual([]);
    },
    fuzzTimeout(),
  );

  it('a method a known path does not take is 405 METHOD_NOT_ALLOWED with Allow, for every route; an unknown path stays 404', async () => {
    const byPath = new Map<string, Set<string>>();
    for (const r of all) byPath.set(r.path, (byPath.get(r.path) ?? new Set()).add(r.method));
    const wrong: string[] = [];
    for (const [path, methods] of byPath) {
      const method = METHODS.find((m) => !methods.has(m) && !(m === 'HEAD' && methods.has('GET')))!;
      const url = fillPath(path);
      const res = await fetch(`${server.baseUrl}${url}`, { method, headers: { authorization: `Bearer ${tokens.supervisor1}` } });
      const allow = (res.headers.get('allow') ?? '').split(', ');
      const text = await res.text();
      await expectDocumented(server.baseUrl, method, url, { status: res.status, contentType: res.headers.get('content-type'), text });
      const body = res.status === 405 ? (JSON.parse(text) as { code: string; details: { allow: string[] } }) : null;
      if (res.status !== 405 || body?.code !== 'METHOD_NOT_ALLOWED' || ![...methods].every((m) => allow.includes(m) && body.details.allow.includes(m))) {
        wrong.push(`${method} ${path}: ${res.status} allow=${allow.join('|')}`);
      }
    }
    expect(wrong).toEqual([]);
    const unknown = await fetch(`${server.baseUrl}/api/no-such-thing`, { method: 'DELETE', headers: { authorization: `Bearer ${tokens.supervisor1}` } });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { code: string }).code).toBe('NOT_FOUND');
  });

  it('is still up afterwards: health and a real call', async () => {
    expect((await fetch(`${server.baseUrl}/api/health`)).status).toBe(200);
    const c = await WsClient.connect(server.port, tokens.agent1, 'en');
    try {
      expectStep(await new CallDriver(c).start('13800000001'), 'check-eligibility');
    } finally {
      await c.close();
    }
    expect(server.exited).toBe(false);
  });

  describe('a flow definition can never run code', () => {
    const suspend = () => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'flows/suspend-service.json'), 'utf8'));
    const hostile: [string, (f: any) => void, RegExp][] = [
      ['a guard the registry lacks', (f) => (f.machine.states.warn.on.ACKNOWLEDGED = { target: 'upsell', guard: 'isVip' }), /unknown guard 'isVip'/],
      ['an inherited name as a guard', (f) => (f.machine.states.warn.on.ACKNOWLEDGED = { target: 'upsell', guard: 'constructor' }), /guard/],
      ['an inherited name as an action', (f) => (f.machine.states.warn.on.ACKNOWLEDGED = { target: 'upsell', actions: ['toString'] }), /actions/],
      ['an unregistered back-end step', (f) => (f.machine.states.executing.invoke.src = 'launchRocket'), /unknown actor 'launchRocket'/],
      ['an inline function as a guard', (f) => (f.machine.states.warn.on.ACKNOWLEDGED = { target: 'upsell', guard: '() => true' }), /guard/],
      [
        'an expression as a fact',
        (f) =>
          (f.machine.states.warn.on.ACKNOWLEDGED = {
            target: 'upsell',
            guard: { type: 'matches', params: { fact: 'customer.constructor.constructor("return process")()', eq: 1 } },
          }),
        /fact/,
      ],
      [
        'a template as a context key',
        (f) =>
          (f.machine.states.warn.on.ACKNOWLEDGED = {
            target: 'upsell',
            actions: [{ type: 'set', params: { key: '${process.exit()}', value: 1 } }],
          }),
        /key/,
      ],
      ['a script URL as a back-end input', (f) => (f.machine.states.executing.invoke.input = { template: 'javascript:alert(1)' }), /input/],
    ];

    it.each(hostile)('%s: saved as an inert draft at most, refused by the checks, submit and a dry run (it does not load)', async (_what, mutate, finding) => {
      const def = suspend();
      mutate(def);
      const sup = tokens.supervisor1;
      const check = await http(server.baseUrl, 'POST', '/api/authoring/check', { token: sup, body: { definition: def } });
      expect(check.status).toBe(200);
      expect(
        check.body.findings
          .filter((f: any) => f.check === 'loader')
          .map((f: any) => `${f.path}: ${f.message}`)
          .join('\n'),
      ).toMatch(finding);
      const draft = await http(server.baseUrl, 'POST', '/api/authoring/flows/suspend-service/versions', {
        token: sup,
        body: { definition: def },
      });
      expect(draft.status).toBe(201);
      expect(draft.body.status).toBe('draft');
      const v = draft.body.version;
      const submit = await http(server.baseUrl, 'POST', `/api/authoring/flows/suspend-service/versions/${v}/submit`, { token: sup });
      expect(submit.status).toBe(422);
      expect(submit.body.code).toBe('CHECKS_FAILED');
      const dryRun = await http(server.baseUrl, 'POST', `/api/authoring/flows/suspend-service/versions/${v}/dry-runs`, {
        token: sup,
        body: { msisdn: '13800000001' },
      });
      expect(dryRun.status).toBe(422);
      expect(dryRun.body.code).toBe('VERSION_DOES_NOT_LOAD');
      const version = await http(server.baseUrl, 'GET', `/api/authoring/flows/suspend-service/versions/${v}`, { token: sup });
      expect(version.body.status).toBe('draft');
      const flows = await http(server.baseUrl, 'GET', '/api/flows', { token: sup });
      // Still the file's version: nothing of the hostile draft is in force.
      expect(flows.body.find((f: any) => f.id === 'suspend-service').version).toBe(
        JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'flows/suspend-service.json'), 'utf8')).version,
      );
    });
  });
});
