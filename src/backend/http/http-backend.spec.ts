/**
 * The HTTP adapter against the reference back end (test/support/reference-backend.mjs), a real
 * process over real HTTP/HTTPS: the same answers as the simulator, each failure mode mapped to the
 * BackendError code the flows branch on, the idempotency key honoured, HMAC and mTLS.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BackendError, PROVISION_ACTIONS, ACCOUNT_QUERIES } from '../backend.port';
import { loadCustomerFixtures } from '../simulator/customer-fixtures';
import { SimulatorBackend } from '../simulator/simulator-backend';
import { type BackendMapping, loadBackendMapping } from './backend-mapping';
import { HTTP_BACKEND_ERRORS, HttpBackend } from './http-backend';

const ROOT = path.resolve(__dirname, '../../..');
const MAPPING_FILE = path.join(ROOT, 'backends/reference-mapping.json');
const CUSTOMERS = path.join(ROOT, 'src/backend/simulator/demo-customers.json');

interface Reference {
  url: string;
  process: ChildProcess;
  control(body: Record<string, unknown>): Promise<void>;
  stats(): Promise<{ requests: number; acted: Record<string, number> }>;
}

async function startReference(env: Record<string, string> = {}): Promise<Reference> {
  const child = spawn(process.execPath, [path.join(ROOT, 'test/support/reference-backend.mjs')], {
    env: { ...process.env, REF_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = out.match(/listening (\d+)/);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`reference back end exited ${code}`)));
  });
  const scheme = env.REF_TLS_CERT ? 'https' : 'http';
  // The control routes are plain HTTP only when the back end is: over mTLS the tests do not switch modes.
  const admin = `http://127.0.0.1:${port}`;
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    process: child,
    control: async (body) => void (await fetch(`${admin}/_control`, { method: 'POST', body: JSON.stringify(body) })),
    stats: async () => (await (await fetch(`${admin}/_stats`)).json()) as { requests: number; acted: Record<string, number> },
  };
}

const reference = (): BackendMapping => loadBackendMapping(MAPPING_FILE);
const tuned = (change: (m: BackendMapping) => void) => {
  const m = structuredClone(reference());
  change(m);
  return m;
};
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (e instanceof BackendError ? e.code : String(e)),
  );

describe('HttpBackend against the reference back end', () => {
  let ref: Reference;
  const backends: HttpBackend[] = [];
  const adapter = (mapping = reference(), env: NodeJS.ProcessEnv = {}, url = ref.url) => {
    const b = new HttpBackend(mapping, path.dirname(MAPPING_FILE), env, url);
    backends.push(b);
    return b;
  };

  beforeAll(async () => (ref = await startReference()));
  afterAll(() => ref.process.kill());
  afterEach(async () => {
    backends.splice(0).forEach((b) => b.close());
    await ref.control({ mode: 'ok' });
  });

  it('answers every operation as the simulator does for the same requests', async () => {
    const http = adapter();
    const sim = new SimulatorBackend(loadCustomerFixtures(CUSTOMERS), 0);
    const strip = (r: object) => ({ ...r, effectiveAt: undefined });
    for (const msisdn of ['13800000001', '13800000002', '13800000003', '19999999999']) {
      expect(await http.lookupCustomer(msisdn)).toEqual(await sim.lookupCustomer(msisdn));
    }
    const msisdn = '13800000001';
    let n = 0;
    const req = () => ({ msisdn, idempotencyKey: `call-a:${++n}` });
    const same = async (run: (b: SimulatorBackend | HttpBackend, r: { msisdn: string; idempotencyKey: string }) => Promise<object>) => {
      const r = req();
      expect(strip(await run(http, r))).toEqual(strip(await run(sim, r)));
    };
    await same((b, r) => b.checkIvrPassword(r));
    await same((b, r) => b.checkIdDocument({ ...r, idLast4: '1234' }));
    await same((b, r) => b.checkIdDocument({ ...r, idLast4: '0000' }));
    await same((b, r) => b.checkEntryMonth({ ...r, month: '2011-04' }));
    await same((b, r) => b.checkEntryMonth({ ...r, month: '2011-05' }));
    await same((b, r) => b.executeSuspension(r));
    await same((b, r) => b.sendSms({ ...r, template: 'suspended' }));
    for (const what of ACCOUNT_QUERIES) await same((b, r) => b.queryAccount({ ...r, what }));
    const params = { plan: 'x', amountYuan: 50, month: 'last-month' };
    for (const action of PROVISION_ACTIONS) await same((b, r) => b.provision({ ...r, action, params }));
    // A business refusal (an amount the gateway does not take) fails on both: the flows take the step's failure path.
    const refused = { msisdn: '13800000001', idempotencyKey: 'call-r:1', action: 'top-up' as const, params: { amountYuan: 7 } };
    await expect(sim.provision(refused)).rejects.toMatchObject({ code: 'AMOUNT_NOT_ALLOWED' });
    await expect(http.provision(refused)).rejects.toMatchObject({ code: 'BACKEND_REFUSED' });
    const ivrFail = { msisdn: '13800000003', idempotencyKey: 'call-b:1' };
    expect(await http.checkIvrPassword(ivrFail)).toEqual(await sim.checkIvrPassword(ivrFail));
  });

  it('honours the idempotency key: a lost reply is retried with the same key and the order acted on once', async () => {
    const http = adapter();
    await ref.control({ mode: 'lost-reply' });
    const request = { msisdn: '13800000002', idempotencyKey: 'call-c:7', action: 'resume' as const, params: {} };
    const first = await http.provision(request);
    expect(first).toEqual({ receiptId: 'RESUME-call-c:7', action: 'resume', effective: 'now' });
    // Delivered again (a retry after a crash): the same receipt, still one action.
    expect(await http.provision(request)).toEqual(first);
    expect((await ref.stats()).acted['13800000002:orders:call-c:7']).toBe(1);
  });

  it('retries a flapping back end to success, but never a request the mapping does not allow to retry', async () => {
    await ref.control({ mode: 'flapping' });
    const request = { msisdn: '13800000001', idempotencyKey: 'call-d:1' };
    expect(await adapter().executeSuspension(request)).toMatchObject({ ticketId: 'SR-call-d:1' });
    const noRetries = adapter(tuned((m) => (m.defaults.retries = 0)));
    const codes = [await codeOf(noRetries.sendSms({ ...request, template: 't' })), await codeOf(noRetries.sendSms({ ...request, template: 't' }))];
    expect(codes.sort()).toEqual([HTTP_BACKEND_ERRORS.unavailable, 'resolved']);
  });

  it('maps a failing, a malformed and a hung back end to the codes the flows handle, and opens the breaker', async () => {
    const http = adapter(tuned((m) => ((m.defaults.retries = 0), (m.defaults.breaker.consecutiveFailures = 3))));
    const request = { msisdn: '13800000001', idempotencyKey: 'call-e:1' };
    await ref.control({ mode: 'malformed' });
    expect(await codeOf(http.checkIvrPassword(request))).toBe(HTTP_BACKEND_ERRORS.malformed);
    await ref.control({ mode: 'failing' });
    for (let i = 0; i < 2; i++) expect(await codeOf(http.checkIvrPassword(request))).toBe(HTTP_BACKEND_ERRORS.unavailable);
    const before = (await ref.stats()).requests;
    expect(await codeOf(http.checkIvrPassword(request))).toBe(HTTP_BACKEND_ERRORS.breakerOpen);
    expect((await ref.stats()).requests).toBe(before);
    // Each operation has its own breaker: the checks being cut off does not stop the suspensions.
    expect(await codeOf(http.executeSuspension(request))).toBe(HTTP_BACKEND_ERRORS.unavailable);

    await ref.control({ mode: 'slow', slowMs: 5_000 });
    const hasty = adapter(tuned((m) => ((m.defaults.retries = 0), (m.defaults.timeoutMs = 100))));
    expect(await codeOf(hasty.sendSms({ ...request, template: 't' }))).toBe(HTTP_BACKEND_ERRORS.timeout);
  });

  describe('authentication', () => {
    let dir: string;
    beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'laihua-ref-auth-'))));
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('signs every request with HMAC and sends the bearer token; a wrong secret is refused', async () => {
      const signed = await startReference({ REF_HMAC_SECRET: 's3cret', REF_BEARER_TOKEN: 'tok' });
      try {
        const auth = tuned(
          (m) => (m.auth = { bearerTokenEnv: 'T', hmac: { secretEnv: 'S', signatureHeader: 'X-Laihua-Signature', timestampHeader: 'X-Laihua-Timestamp' } }),
        );
        const request = { msisdn: '13800000001', idempotencyKey: 'call-f:1', template: 't' };
        expect(await adapter(auth, { T: 'tok', S: 's3cret' }, signed.url).sendSms(request)).toEqual({ messageId: 'SMS-call-f:1' });
        expect(await codeOf(adapter(auth, { T: 'tok', S: 'wrong' }, signed.url).sendSms(request))).toBe(HTTP_BACKEND_ERRORS.refused);
        expect(await codeOf(adapter(auth, { T: 'other', S: 's3cret' }, signed.url).sendSms(request))).toBe(HTTP_BACKEND_ERRORS.refused);
        expect((await signed.stats()).acted['13800000001:messages:call-f:1']).toBe(1);
      } finally {
        signed.process.kill();
      }
    });

    it('presents a client certificate over mTLS; without one the back end does not answer', async () => {
      const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
      ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=test-ca');
      for (const name of ['server', 'client']) {
        ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
        fs.writeFileSync(path.join(dir, `${name}.ext`), name === 'server' ? 'subjectAltName=IP:127.0.0.1' : 'extendedKeyUsage=clientAuth');
        ssl(
          'x509',
          '-req',
          '-in',
          `${name}.csr`,
          '-CA',
          'ca.pem',
          '-CAkey',
          'ca.key',
          '-CAcreateserial',
          '-out',
          `${name}.pem`,
          '-days',
          '2',
          '-extfile',
          `${name}.ext`,
        );
      }
      const tls = await startReference({
        REF_TLS_CERT: path.join(dir, 'server.pem'),
        REF_TLS_KEY: path.join(dir, 'server.key'),
        REF_TLS_CA: path.join(dir, 'ca.pem'),
      });
      try {
        const withCert = tuned(
          (m) => (m.auth = { tls: { certFile: path.join(dir, 'client.pem'), keyFile: path.join(dir, 'client.key'), caFile: path.join(dir, 'ca.pem') } }),
        );
        const request = { msisdn: '13800000001', idempotencyKey: 'call-g:1' };
        expect(await adapter(withCert, {}, tls.url).executeSuspension(request)).toMatchObject({ ticketId: 'SR-call-g:1' });
        const noCert = tuned((m) => ((m.defaults.retries = 0), (m.auth = { tls: { caFile: path.join(dir, 'ca.pem') } })));
        expect(await codeOf(adapter(noCert, {}, tls.url).executeSuspension({ ...request, idempotencyKey: 'call-g:2' }))).toBe(HTTP_BACKEND_ERRORS.unavailable);
      } finally {
        tls.process.kill();
      }
    });
  });
});
