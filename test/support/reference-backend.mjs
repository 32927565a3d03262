#!/usr/bin/env node
/**
 * A reference operator back end over plain node http/https, for the HTTP adapter's tests and as the
 * worked example of docs/BACKEND-HTTP.md. Backed by the same demo customers as the simulator, and
 * answering as the simulator does (same checks, same receipt ids), so a call gives the same outcome
 * on either. Its behaviour is switched per test: POST /_control {"mode": ok | slow | failing | flapping
 * | malformed | lost-reply, "slowMs"}. `lost-reply` acts, then answers 503 as if the reply were lost:
 * the client's retry with the same key must get the stored receipt. GET /_stats tells how often each
 * key was acted on. Every state-changing request is idempotent by its Idempotency-Key header.
 *
 * Environment: REF_PORT (0: any), REF_CUSTOMERS_FILE, REF_STATE_FILE (keys and receipts kept across
 * restarts of this process), REF_BEARER_TOKEN, REF_HMAC_SECRET, REF_TLS_CERT/REF_TLS_KEY/REF_TLS_CA
 * (https, client certificate required). Prints `listening <port>` when ready.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const customersFile = process.env.REF_CUSTOMERS_FILE || path.join(here, '../../src/backend/simulator/demo-customers.json');
// The simulator's defaults for fields older fixture files lack (src/backend/simulator/customer-fixtures.ts).
const DEFAULTS = {
  plan: { id: 'basic-58', name: { 'zh-CN': '基础套餐58元', en: 'Basic 58' }, monthlyYuan: 58 },
  points: 0,
  bills: [],
  handsetMode: '4G',
  openedWithIdCard: true,
  networkEntryMonth: '2015-06',
  network: { areaOutage: false, coverage: 'good', dataBarred: false },
  dataPacks: [],
};
const customers = new Map(
  JSON.parse(fs.readFileSync(customersFile, 'utf8')).map((c) => [c.msisdn, { ...DEFAULTS, balanceYuan: c.arrearsYuan ? -c.arrearsYuan : 0, ...c }]),
);
// The simulator's business refusals (simulator-backend.ts refuseInvalid): given whatever the back end's health.
const TOP_UP_AMOUNTS = [30, 50, 100, 200, 500];
const CALL_DETAIL_PERIODS = ['this-month', 'last-month', '2-months-ago', '3-months-ago', '4-months-ago', '5-months-ago'];
const refusal = (body) =>
  (body.action === 'top-up' && !TOP_UP_AMOUNTS.includes(Number(body.params?.amountYuan))) ||
  (body.action === 'send-call-details' && !CALL_DETAIL_PERIODS.includes(body.params?.month));

const stateFile = process.env.REF_STATE_FILE;
/** key → { status, body } of the first time it was acted on; acted: key → how many times it acted. */
const state = stateFile && fs.existsSync(stateFile) ? JSON.parse(fs.readFileSync(stateFile, 'utf8')) : { replies: {}, acted: {} };
const save = () => stateFile && fs.writeFileSync(stateFile, JSON.stringify(state));

let control = { mode: 'ok', slowMs: 2000 };
let requests = 0;

const send = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};

function profileOf(c) {
  const { ivrPassword: _p, idLast4: _d, backend: _b, networkEntryMonth: _m, network: _n, balanceYuan: _y, dataPacks: _dp, ...profile } = c;
  return profile;
}

function account(c, what) {
  const services = [...c.services];
  const answers = {
    bills: { bills: c.bills, latest: c.bills[0] ?? null },
    points: { points: c.points },
    plan: { plan: { ...c.plan } },
    services: { services, count: services.length },
    roaming: { roamingOpen: services.includes('intl-roaming'), intlLongDistance: services.includes('intl-long-distance'), handsetMode: c.handsetMode },
    balance: { balanceYuan: c.balanceYuan, arrearsYuan: c.arrearsYuan },
    'call-details': callDetails(c),
    'network-status': { ...c.network, dataServiceOpen: c.status === 'active' && !c.network.dataBarred, handsetMode: c.handsetMode },
    'data-usage': dataUsage(c),
  };
  return answers[what];
}

/** The itemised-bill summary as the simulator derives it (counts and totals, other numbers masked). */
function callDetails(c) {
  const months = c.bills.slice(0, 6).map((b) => ({
    month: b.month,
    calls: Math.round(b.totalYuan / 2),
    minutes: Math.round(b.totalYuan * 3),
    dataMb: Math.round(b.totalYuan * 40),
    sms: Math.round(b.totalYuan / 5),
    topNumber: `${c.msisdn.slice(0, 3)}****${c.msisdn.slice(-4).split('').reverse().join('')}`,
  }));
  return { months, count: months.length };
}

/** This month's data allowances, used and left, as the simulator derives them. */
function dataUsage(c) {
  const packs = c.dataPacks.map((p) => ({ name: p.name, allowanceMb: p.allowanceMb, usedMb: p.usedMb, remainingMb: Math.max(0, p.allowanceMb - p.usedMb) }));
  const sum = (f) => packs.reduce((n, p) => n + f(p), 0);
  return {
    packs,
    allowanceMb: sum((p) => p.allowanceMb),
    usedMb: sum((p) => p.usedMb),
    remainingMb: sum((p) => p.remainingMb),
    overMb: sum((p) => Math.max(0, p.usedMb - p.allowanceMb)),
  };
}

/** The state-changing and checking requests; `key` is the Idempotency-Key. */
function act(c, route, body, key) {
  if (route === 'verifications') {
    if (body.kind === 'ivr-password') return { verdict: c.ivrPassword === 'pass' ? 'match' : 'mismatch' };
    const expected = { 'id-document': c.idLast4, 'entry-month': c.networkEntryMonth }[body.kind];
    return { verdict: expected !== undefined && expected === body.value ? 'match' : 'mismatch' };
  }
  if (route === 'suspensions') return { ticket_id: `SR-${key}`, effective_at: new Date().toISOString() };
  if (route === 'messages') return { message_id: `SMS-${key}` };
  if (route === 'orders') {
    const effective = body.action === 'change-plan' || body.action === 'change-brand' ? 'next-month' : 'now';
    return { order: { id: `${String(body.action).toUpperCase()}-${key}`, action: body.action, effective } };
  }
  return undefined;
}

function authorised(req, raw) {
  if (process.env.REF_BEARER_TOKEN && req.headers.authorization !== `Bearer ${process.env.REF_BEARER_TOKEN}`) return false;
  const secret = process.env.REF_HMAC_SECRET;
  if (secret) {
    const ts = String(req.headers['x-laihua-timestamp'] ?? '');
    const expected = createHmac('sha256', secret).update(`${req.method}\n${req.url}\n${ts}\n${raw}`).digest();
    const given = Buffer.from(String(req.headers['x-laihua-signature'] ?? ''), 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
    if (Math.abs(Date.now() - Number(ts)) > 5 * 60_000) return false;
  }
  return true;
}

async function handle(req, res, raw) {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/_control' && req.method === 'POST') {
    control = { ...control, ...JSON.parse(raw) };
    return send(res, 200, control);
  }
  if (url.pathname === '/_stats') return send(res, 200, { requests, acted: state.acted, mode: control.mode });
  requests++;
  if (!authorised(req, raw)) return send(res, 401, { error: 'unauthorised' });
  const mode = control.mode;
  if (mode === 'slow') await new Promise((r) => setTimeout(r, control.slowMs));
  if (mode === 'failing' || (mode === 'flapping' && requests % 2 === 1)) return send(res, 503, { error: 'unavailable' });
  if (mode === 'malformed') return send(res, 200, '{"half a repl');
  const m = url.pathname.match(/^\/v1\/subscribers\/(\d+)(?:\/(verifications|suspensions|messages|orders|account)(?:\/([\w-]+))?)?$/);
  if (!m) return send(res, 404, { error: 'no such route' });
  const c = customers.get(m[1]);
  if (!c) return send(res, 404, { error: 'unknown subscriber' });
  if (!m[2] && req.method === 'GET') return send(res, 200, { subscriber: profileOf(c) });
  if (m[2] === 'account' && req.method === 'GET') {
    const data = account(c, m[3]);
    return data ? send(res, 200, { data }) : send(res, 404, { error: 'unknown query' });
  }
  if (req.method !== 'POST') return send(res, 405, { error: 'method' });
  const key = req.headers['idempotency-key'];
  if (typeof key !== 'string' || !key) return send(res, 400, { error: 'Idempotency-Key required' });
  const stored = `${m[1]}:${m[2]}:${key}`;
  if (m[2] === 'orders' && refusal(JSON.parse(raw || '{}'))) return send(res, 422, { error: 'refused by the business rules' });
  if (!state.replies[stored]) {
    const reply = act(c, m[2], JSON.parse(raw || '{}'), key);
    if (!reply) return send(res, 400, { error: 'bad request' });
    state.replies[stored] = reply;
    state.acted[stored] = (state.acted[stored] ?? 0) + 1;
    save();
    // Acted, but the reply is lost on the way: the caller retries with the same key.
    if (mode === 'lost-reply') return send(res, 503, { error: 'reply lost' });
  }
  return send(res, 200, state.replies[stored]);
}

const listener = (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((e) => send(res, 500, { error: String(e) }));
  });
};

const tls = process.env.REF_TLS_CERT;
const server = tls
  ? https.createServer(
      {
        cert: fs.readFileSync(tls),
        key: fs.readFileSync(process.env.REF_TLS_KEY),
        ca: fs.readFileSync(process.env.REF_TLS_CA),
        requestCert: true,
        rejectUnauthorized: true,
      },
      listener,
    )
  : http.createServer(listener);
server.listen(Number(process.env.REF_PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
