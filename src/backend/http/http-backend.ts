import { CircuitBreakerPolicy, ConsecutiveBreaker, BrokenCircuitError, circuitBreaker, handleWhen } from 'cockatiel';
import { createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as path from 'node:path';
import jsonata from 'jsonata';
import {
  type AccountQuery,
  BackendError,
  BackendPort,
  type BackendRequest,
  type CheckResult,
  type ProvisionAction,
  type ProvisionReceipt,
  type SmsReceipt,
  type SuspensionReceipt,
} from '../backend.port';
import type { CustomerProfile } from '../customer';
import { type BackendMapping, type OperationMapping } from './backend-mapping';

/** What a failed exchange means to the flows: each is a BackendError code on the step's error path. */
export const HTTP_BACKEND_ERRORS = {
  timeout: 'BACKEND_TIMEOUT',
  unavailable: 'BOSS_UNAVAILABLE',
  refused: 'BACKEND_REFUSED',
  unknownSubscriber: 'UNKNOWN_SUBSCRIBER',
  malformed: 'BACKEND_MALFORMED_REPLY',
  breakerOpen: 'BACKEND_CIRCUIT_OPEN',
} as const;

/** Worth another try: the back end may not have seen it, or failed before acting (the key makes it safe). */
const RETRYABLE = new Set<string>([HTTP_BACKEND_ERRORS.timeout, HTTP_BACKEND_ERRORS.unavailable]);

interface Compiled {
  name: string;
  mapping: OperationMapping;
  body?: ReturnType<typeof jsonata>;
  response: ReturnType<typeof jsonata>;
  breaker: CircuitBreakerPolicy;
}

interface HttpReply {
  status: number;
  text: string;
}

/**
 * The operator's systems over HTTP, as a declarative mapping file says (docs/BACKEND-HTTP.md): each
 * port operation one request, its reply turned into the port's result by a jsonata expression. Every
 * request carrying a key sends it as a header, which is what makes a retry safe; each operation has a
 * circuit breaker of its own so a failing provisioning system does not slow the checks.
 */
export class HttpBackend extends BackendPort {
  private readonly operations = new Map<string, Compiled>();
  private readonly agent: http.Agent;

  constructor(
    private readonly mapping: BackendMapping,
    /** The directory of the mapping file: TLS files are relative to it. */
    mappingDir: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
    baseUrlOverride?: string,
  ) {
    super();
    this.baseUrl = (baseUrlOverride || mapping.baseUrl).replace(/\/$/, '');
    const tls = mapping.auth?.tls;
    const read = (file?: string) => (file ? fs.readFileSync(path.resolve(mappingDir, file)) : undefined);
    this.agent = this.baseUrl.startsWith('https:')
      ? new https.Agent({ keepAlive: true, cert: read(tls?.certFile), key: read(tls?.keyFile), ca: read(tls?.caFile) })
      : new http.Agent({ keepAlive: true });
    const add = (name: string, op: OperationMapping) =>
      this.operations.set(name, {
        name,
        mapping: op,
        body: op.body ? jsonata(op.body) : undefined,
        response: jsonata(op.response),
        breaker: circuitBreaker(
          handleWhen((e) => e instanceof BackendError && e.code !== HTTP_BACKEND_ERRORS.unknownSubscriber && e.code !== HTTP_BACKEND_ERRORS.refused),
          {
            halfOpenAfter: mapping.defaults.breaker.halfOpenAfterMs,
            breaker: new ConsecutiveBreaker(mapping.defaults.breaker.consecutiveFailures),
          },
        ),
      });
    const { queryAccount, provision, ...single } = mapping.operations;
    for (const [name, op] of Object.entries(single)) add(name, op);
    for (const [what, op] of Object.entries(queryAccount)) add(`queryAccount:${what}`, op);
    for (const [action, op] of Object.entries(provision)) add(`provision:${action}`, op);
  }

  private readonly baseUrl: string;

  close(): void {
    this.agent.destroy();
  }

  /** Nest calls this at shutdown: kept-alive sockets must not hold the process open. */
  onModuleDestroy(): void {
    this.close();
  }

  async lookupCustomer(msisdn: string): Promise<CustomerProfile | null> {
    return (await this.call('lookupCustomer', { msisdn })) as CustomerProfile | null;
  }

  checkIvrPassword(request: BackendRequest): Promise<CheckResult> {
    return this.call('checkIvrPassword', request) as Promise<CheckResult>;
  }

  checkIdDocument(request: BackendRequest & { idLast4: string }): Promise<CheckResult> {
    return this.call('checkIdDocument', request) as Promise<CheckResult>;
  }

  executeSuspension(request: BackendRequest): Promise<SuspensionReceipt> {
    return this.call('executeSuspension', request) as Promise<SuspensionReceipt>;
  }

  sendSms(request: BackendRequest & { template: string }): Promise<SmsReceipt> {
    return this.call('sendSms', request) as Promise<SmsReceipt>;
  }

  checkEntryMonth(request: BackendRequest & { month: string }): Promise<CheckResult> {
    return this.call('checkEntryMonth', request) as Promise<CheckResult>;
  }

  queryAccount(request: BackendRequest & { what: AccountQuery }): Promise<Record<string, unknown>> {
    return this.call(`queryAccount:${request.what}`, request) as Promise<Record<string, unknown>>;
  }

  provision(request: BackendRequest & { action: ProvisionAction; params: Record<string, unknown> }): Promise<ProvisionReceipt> {
    return this.call(`provision:${request.action}`, request) as Promise<ProvisionReceipt>;
  }

  private async call(name: string, request: object): Promise<unknown> {
    const op = this.operations.get(name);
    if (!op) throw new BackendError(HTTP_BACKEND_ERRORS.refused, `No mapping for ${name}`);
    const retries = op.mapping.retries ?? this.mapping.defaults.retries;
    // Only a request whose key the back end sees, or a read, may be sent again.
    const safeToRetry = 'idempotencyKey' in request || op.mapping.method === 'GET';
    for (let attempt = 0; ; attempt++) {
      try {
        return await op.breaker.execute(() => this.exchange(op, request));
      } catch (e) {
        if (e instanceof BrokenCircuitError) throw new BackendError(HTTP_BACKEND_ERRORS.breakerOpen, `${name}: the back end failed repeatedly; not sent`);
        const retry = safeToRetry && attempt < retries && e instanceof BackendError && RETRYABLE.has(e.code);
        if (!retry) throw e;
        await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** attempt, 1_000)));
      }
    }
  }

  private async exchange(op: Compiled, fields: object): Promise<unknown> {
    const request = fields as Record<string, unknown>;
    const url = op.mapping.url.replace(/\{(\w+)\}/g, (_, key: string) => (key === 'baseUrl' ? this.baseUrl : encodeURIComponent(String(request[key] ?? ''))));
    const body = op.body ? JSON.stringify(await op.body.evaluate(request)) : undefined;
    const headers: Record<string, string> = { accept: 'application/json', ...op.mapping.headers };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (typeof request.idempotencyKey === 'string') headers[this.mapping.idempotencyHeader] = request.idempotencyKey;
    this.authenticate(headers, op.mapping.method, new URL(url), body ?? '');
    const reply = await this.send(url, op.mapping.method, headers, body, op.mapping.timeoutMs ?? this.mapping.defaults.timeoutMs);
    if (reply.status >= 400 && op.mapping.notFoundStatuses?.includes(reply.status)) return null;
    if (reply.status >= 500) throw new BackendError(HTTP_BACKEND_ERRORS.unavailable, `${op.name}: the back end answered ${reply.status}`);
    if (reply.status === 404) throw new BackendError(HTTP_BACKEND_ERRORS.unknownSubscriber, `${op.name}: not found (404)`);
    if (reply.status >= 400) throw new BackendError(HTTP_BACKEND_ERRORS.refused, `${op.name}: the back end refused the request (${reply.status})`);
    let parsed: unknown;
    try {
      parsed = reply.text ? JSON.parse(reply.text) : null;
    } catch {
      throw new BackendError(HTTP_BACKEND_ERRORS.malformed, `${op.name}: the reply is not JSON`);
    }
    const result: unknown = await op.response.evaluate({ status: reply.status, body: parsed, request });
    if (result === undefined || result === null || typeof result !== 'object')
      throw new BackendError(HTTP_BACKEND_ERRORS.malformed, `${op.name}: the reply does not have the mapped fields`);
    // jsonata returns arrays with extra markers: a plain JSON copy is what the log records.
    return JSON.parse(JSON.stringify(result));
  }

  private authenticate(headers: Record<string, string>, method: string, url: URL, body: string): void {
    const auth = this.mapping.auth;
    if (auth?.bearerTokenEnv) headers.authorization = `Bearer ${this.env[auth.bearerTokenEnv] ?? ''}`;
    if (auth?.hmac) {
      const timestamp = String(Date.now());
      const secret = this.env[auth.hmac.secretEnv] ?? '';
      headers[auth.hmac.timestampHeader] = timestamp;
      headers[auth.hmac.signatureHeader] = signRequest(secret, method, url.pathname + url.search, timestamp, body);
    }
  }

  private send(url: string, method: string, headers: Record<string, string>, body: string | undefined, timeoutMs: number): Promise<HttpReply> {
    return new Promise((resolve, reject) => {
      const client = url.startsWith('https:') ? https : http;
      const req = client.request(url, { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (e) => reject(new BackendError(HTTP_BACKEND_ERRORS.unavailable, e.message)));
      });
      req.setTimeout(timeoutMs, () => req.destroy(new BackendError(HTTP_BACKEND_ERRORS.timeout, `no answer within ${timeoutMs} ms`)));
      req.on('error', (e) => reject(e instanceof BackendError ? e : new BackendError(HTTP_BACKEND_ERRORS.unavailable, e.message)));
      req.end(body);
    });
  }
}

/** HMAC-SHA256 over method, path, timestamp and body, hex: what the reference back end checks. */
export function signRequest(secret: string, method: string, pathAndQuery: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${method}\n${pathAndQuery}\n${timestamp}\n${body}`).digest('hex');
}
