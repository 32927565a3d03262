import Ajv, { type ErrorObject } from 'ajv';
import * as fs from 'node:fs';
import * as path from 'node:path';
import jsonata from 'jsonata';
import { ACCOUNT_QUERIES, PROVISION_ACTIONS } from '../backend.port';

/** The port's operations with one request each; queryAccount and provision have one per query / action. */
export const SINGLE_OPERATIONS = ['lookupCustomer', 'checkIvrPassword', 'checkIdDocument', 'executeSuspension', 'sendSms', 'checkEntryMonth'] as const;
export type SingleOperation = (typeof SINGLE_OPERATIONS)[number];

export interface OperationMapping {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** `{name}` placeholders filled (URL-encoded) from the request: msisdn, action, what… and `{baseUrl}`. */
  url: string;
  headers?: Record<string, string>;
  /** jsonata over the request; its value is sent as the JSON body. */
  body?: string;
  /** jsonata over `{ status, body, request }`; its value is the port's result. */
  response: string;
  /** Statuses answered by `notFoundResult` (e.g. 404 → null for lookupCustomer) instead of an error. */
  notFoundStatuses?: number[];
  timeoutMs?: number;
  retries?: number;
}

export interface BackendMapping {
  baseUrl: string;
  /** Sent with every request carrying a key, so the back end answers a retry without acting twice. */
  idempotencyHeader: string;
  defaults: { timeoutMs: number; retries: number; breaker: { consecutiveFailures: number; halfOpenAfterMs: number } };
  auth?: {
    bearerTokenEnv?: string;
    hmac?: { secretEnv: string; signatureHeader: string; timestampHeader: string };
    tls?: { certFile?: string; keyFile?: string; caFile?: string };
  };
  operations: Record<SingleOperation, OperationMapping> & {
    queryAccount: Record<(typeof ACCOUNT_QUERIES)[number], OperationMapping>;
    provision: Record<(typeof PROVISION_ACTIONS)[number], OperationMapping>;
  };
}

export interface MappingProblem {
  path: string;
  message: string;
}

export class BackendMappingError extends Error {
  constructor(
    readonly source: string,
    readonly problems: MappingProblem[],
  ) {
    super(`Back-end mapping ${source} is invalid:\n${problems.map((p) => `  ${source}: ${p.path}: ${p.message}`).join('\n')}`);
    this.name = 'BackendMappingError';
  }
}

const operationSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['method', 'url', 'response'],
  properties: {
    method: { enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] },
    url: { type: 'string', minLength: 1 },
    headers: { type: 'object', additionalProperties: { type: 'string' } },
    body: { type: 'string', minLength: 1 },
    response: { type: 'string', minLength: 1 },
    notFoundStatuses: { type: 'array', items: { type: 'integer', minimum: 400, maximum: 599 } },
    timeoutMs: { type: 'integer', minimum: 1, maximum: 600_000 },
    retries: { type: 'integer', minimum: 0, maximum: 10 },
  },
} as const;

const every = (names: readonly string[]) => ({
  type: 'object',
  additionalProperties: false,
  required: [...names],
  properties: Object.fromEntries(names.map((n) => [n, operationSchema])),
});

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['baseUrl', 'idempotencyHeader', 'defaults', 'operations'],
  properties: {
    $comment: { type: 'string' },
    baseUrl: { type: 'string', minLength: 1 },
    idempotencyHeader: { type: 'string', pattern: '^[A-Za-z0-9-]+$' },
    defaults: {
      type: 'object',
      additionalProperties: false,
      required: ['timeoutMs', 'retries', 'breaker'],
      properties: {
        timeoutMs: { type: 'integer', minimum: 1, maximum: 600_000 },
        retries: { type: 'integer', minimum: 0, maximum: 10 },
        breaker: {
          type: 'object',
          additionalProperties: false,
          required: ['consecutiveFailures', 'halfOpenAfterMs'],
          properties: { consecutiveFailures: { type: 'integer', minimum: 1 }, halfOpenAfterMs: { type: 'integer', minimum: 1 } },
        },
      },
    },
    auth: {
      type: 'object',
      additionalProperties: false,
      properties: {
        bearerTokenEnv: { type: 'string', minLength: 1 },
        hmac: {
          type: 'object',
          additionalProperties: false,
          required: ['secretEnv', 'signatureHeader', 'timestampHeader'],
          properties: { secretEnv: { type: 'string' }, signatureHeader: { type: 'string' }, timestampHeader: { type: 'string' } },
        },
        tls: {
          type: 'object',
          additionalProperties: false,
          properties: { certFile: { type: 'string' }, keyFile: { type: 'string' }, caFile: { type: 'string' } },
        },
      },
    },
    operations: {
      type: 'object',
      additionalProperties: false,
      required: [...SINGLE_OPERATIONS, 'queryAccount', 'provision'],
      properties: {
        ...Object.fromEntries(SINGLE_OPERATIONS.map((n) => [n, operationSchema])),
        queryAccount: every(ACCOUNT_QUERIES),
        provision: every(PROVISION_ACTIONS),
      },
    },
  },
} as const;

/** Compiled on first use: only a server with an HTTP back end reads a mapping (compiling costs ~0.1 s of every boot). */
let compiled: ReturnType<Ajv['compile']> | undefined;
const mappingValidator = () => (compiled ??= new Ajv({ allErrors: true }).compile(schema));

const segment = (p: string) => (/^\d+$/.test(p) ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `['${p}']`);
const jsonPath = (pointer: string) =>
  '$' +
  pointer
    .split('/')
    .slice(1)
    .map((p) => segment(p.replace(/~1/g, '/').replace(/~0/g, '~')))
    .join('');

function problemOf(e: ErrorObject): MappingProblem {
  if (e.keyword === 'additionalProperties')
    return { path: jsonPath(`${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty}`), message: 'unknown property' };
  if (e.keyword === 'required')
    return { path: jsonPath(`${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}`), message: 'is required' };
  return { path: jsonPath(e.instancePath), message: e.message ?? 'is invalid' };
}

/** Every operation mapping with its JSON path: `$.operations.provision.resume`… */
export function operationEntries(mapping: BackendMapping): [string, OperationMapping][] {
  const { queryAccount, provision, ...single } = mapping.operations;
  return [
    ...Object.entries(single).map(([n, m]) => [`$.operations.${n}`, m] as [string, OperationMapping]),
    ...Object.entries(queryAccount).map(([n, m]) => [`$.operations.queryAccount.${n}`, m] as [string, OperationMapping]),
    ...Object.entries(provision).map(([n, m]) => [`$.operations.provision['${n}']`, m] as [string, OperationMapping]),
  ];
}

/** Past the schema: every jsonata expression compiles, and only a request carrying its key may be retried. */
function semanticProblems(mapping: BackendMapping, dir: string): MappingProblem[] {
  const problems: MappingProblem[] = [];
  for (const [where, op] of operationEntries(mapping)) {
    for (const field of ['body', 'response'] as const) {
      const expression = op[field];
      if (expression === undefined) continue;
      try {
        jsonata(expression);
      } catch (e) {
        problems.push({ path: `${where}.${field}`, message: `jsonata does not compile: ${(e as Error).message}` });
      }
    }
    const retries = op.retries ?? mapping.defaults.retries;
    // lookupCustomer carries no key: a retry is safe only for a read.
    if (retries > 0 && where === '$.operations.lookupCustomer' && op.method !== 'GET')
      problems.push({ path: `${where}.retries`, message: 'a request without an idempotency key may be retried only if it is a GET' });
    for (const name of op.url.matchAll(/\{(\w+)\}/g)) {
      if (!['baseUrl', 'msisdn', 'action', 'what', 'idempotencyKey'].includes(name[1]))
        problems.push({ path: `${where}.url`, message: `unknown placeholder {${name[1]}}` });
    }
  }
  for (const [key, file] of Object.entries(mapping.auth?.tls ?? {})) {
    if (!fs.existsSync(path.resolve(dir, file))) problems.push({ path: `$.auth.tls.${key}`, message: `file not found: ${file}` });
  }
  return problems;
}

/** Reads and checks a mapping file at boot; every problem is reported with the file and its JSON path. */
export function loadBackendMapping(file: string): BackendMapping {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new BackendMappingError(file, [{ path: '$', message: `not valid JSON: ${(e as Error).message}` }]);
  }
  const validate = mappingValidator();
  if (!validate(raw)) throw new BackendMappingError(file, (validate.errors ?? []).map(problemOf));
  const mapping = raw as unknown as BackendMapping;
  const problems = semanticProblems(mapping, path.dirname(file));
  if (problems.length) throw new BackendMappingError(file, problems);
  return mapping;
}
