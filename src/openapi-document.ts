import type { INestApplication, Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, type OpenAPIObject, type OperationObject, type PathItemObject, type SchemaObject, SwaggerModule } from '@nestjs/swagger';
import { PUBLIC_KEY, ROLES_KEY } from './auth/jwt-auth.guard';
import { ANY_JSON } from './common/api-schemas/fields';
import { API_ERRORS_KEY } from './common/api-schemas/errors';
import { CTI_SIGNATURE, SURVEY_SIGNATURE } from './common/api-schemas/security';
import type { ErrorDetails } from '../protocol/errors';
import { type ErrorCode, HTTP_STATUS } from './common/app-error';

const ALL_ROLES = ['agent', 'supervisor', 'qa', 'admin'];
const BEARER = 'bearer';

/** Every code, in protocol/errors.d.ts order; the compiler refuses a code missing here. */
const ERROR_CODES = Object.keys(HTTP_STATUS) as ErrorCode[];

/** The one error body of every HTTP error (protocol/errors.d.ts ErrorBody). */
const ERROR_BODY: SchemaObject = {
  type: 'object',
  description: 'Every HTTP error: a stable `code`, a message for people, and `details` for some codes (docs/PROTOCOL.md §5).',
  required: ['code', 'message'],
  additionalProperties: false,
  properties: {
    code: { type: 'string', enum: ERROR_CODES },
    message: { type: 'string' },
    details: {
      description: 'Per code (protocol/errors.d.ts ErrorDetails); each error response gives the details of its codes. Absent for the other codes.',
    },
  },
};

const ref = (name: string): SchemaObject => ({ $ref: `#/components/schemas/${name}` }) as SchemaObject;
const obj = (properties: Record<string, SchemaObject>, optional: string[] = []): SchemaObject => ({
  type: 'object',
  properties,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
});
const int: SchemaObject = { type: 'integer' };
const str: SchemaObject = { type: 'string' };

/** The `details` each code carries (protocol/errors.d.ts ErrorDetails; the compiler wants one per code there). */
const DETAILS: Record<keyof ErrorDetails, SchemaObject> = {
  VALIDATION_FAILED: { type: 'array', items: obj({ field: str, problems: { type: 'array', items: str } }) },
  STALE_SEQ: { anyOf: [obj({ currentSeq: int }), obj({ revision: int })] },
  CALL_MOVED: obj({ callId: str }),
  CALL_TOO_LONG: obj({ limit: int }),
  CALL_ERASED: obj({ callId: str, erasedAt: str }),
  TOO_MANY_CALLS: obj({ limit: int }),
  OPTION_NOT_AVAILABLE: obj({ available: { type: 'array', items: str } }),
  INVALID_STATE: obj({ status: str }),
  CHECKS_FAILED: { type: 'array', items: ref('FindingSchema') },
  VERSION_DOES_NOT_LOAD: obj({ flowId: str, version: int, problems: { type: 'array', items: ref('LoadProblemSchema') }, problemCount: int }),
  FLOW_UNAVAILABLE: obj({ flowId: str, version: int, callId: str }, ['callId']),
  TOO_MANY_ATTEMPTS: obj({ retryAfterSeconds: int }),
  LOG_UNAVAILABLE: obj({ reason: str }),
  PAYLOAD_TOO_LARGE: obj({ limit: int }, ['limit']),
  METHOD_NOT_ALLOWED: obj({ allow: { type: 'array', items: str } }),
};

/** The error body of one status of one operation: its codes, and the details those carry. */
function errorSchema(codes: ErrorCode[]): SchemaObject {
  const details = codes.flatMap((c) => (c in DETAILS ? [DETAILS[c as keyof ErrorDetails]] : []));
  const narrowed: SchemaObject = { type: 'object', properties: { code: { type: 'string', enum: codes } } };
  if (details.length) narrowed.properties!.details = details.length === 1 ? details[0] : { anyOf: details };
  return { allOf: [ref('ErrorBody'), narrowed] };
}

interface HandlerDocs {
  isPublic: boolean;
  roles: string[] | undefined;
  codes: ErrorCode[];
}

/** What each handler's decorators say, by the operationId @nestjs/swagger gives it (`Controller_method`). */
function handlerDocs(app: INestApplication): Map<string, HandlerDocs> {
  const docs = new Map<string, HandlerDocs>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      const controller = metatype as Type<unknown>;
      const proto = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const read = <T>(key: string): T | undefined => (Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, controller)) as T | undefined;
        docs.set(`${controller.name}_${name}`, {
          isPublic: !!read<boolean>(PUBLIC_KEY),
          roles: read<string[]>(ROLES_KEY),
          codes: [
            ...((Reflect.getMetadata(API_ERRORS_KEY, controller) as ErrorCode[] | undefined) ?? []),
            ...((Reflect.getMetadata(API_ERRORS_KEY, handler) as ErrorCode[] | undefined) ?? []),
          ],
        });
      }
    }
  }
  return docs;
}

/**
 * Security and every error status of one operation: the codes any route may answer (a body that is
 * not JSON or too large: the body is read on every route; an unexpected failure), validation where
 * the operation takes a body or a query, 401 unless public, 403 when only some roles may, and the
 * handler's own (@ApiErrors).
 */
function completeOperation(operation: OperationObject, docs: HandlerDocs): void {
  const codes = new Set<ErrorCode>(['BAD_JSON', 'PAYLOAD_TOO_LARGE', 'INTERNAL']);
  if (operation.requestBody || operation.parameters?.some((p) => 'in' in p && p.in === 'query')) codes.add('VALIDATION_FAILED');
  // Public: no bearer token; a signed webhook (src/cti) keeps the signature scheme its handler names.
  if (docs.isPublic) operation.security ??= [];
  else {
    operation.security = [{ [BEARER]: [] }];
    codes.add('UNAUTHORIZED');
    if (docs.roles && !ALL_ROLES.every((r) => docs.roles!.includes(r))) codes.add('FORBIDDEN');
  }
  for (const code of docs.codes) codes.add(code);
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of ERROR_CODES) if (codes.has(code)) byStatus.set(HTTP_STATUS[code], [...(byStatus.get(HTTP_STATUS[code]) ?? []), code]);
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    operation.responses[String(status)] = {
      description: list.map((c) => `\`${c}\``).join(', '),
      content: {
        'application/json': { schema: errorSchema(list) },
      },
    };
  }
}

/** Properties marked as any JSON value lose the `type: object` @nestjs/swagger infers for `unknown`. */
function anyJson(node: unknown): void {
  if (!node || typeof node !== 'object') return;
  const schema = node as Record<string, unknown>;
  if (schema[ANY_JSON]) {
    delete schema[ANY_JSON];
    delete schema.type;
  }
  for (const value of Object.values(schema)) anyJson(value);
}

/** An operation with `format=json|csv` answers its table as CSV too. */
function csvAlternative(operation: OperationObject): void {
  const format = operation.parameters?.find((p) => 'in' in p && p.in === 'query' && p.name === 'format');
  const values = format && 'schema' in format ? (format.schema as SchemaObject | undefined)?.enum : undefined;
  const ok = operation.responses['200'];
  if (!values?.includes('csv') || !ok || !('content' in ok) || !ok.content) return;
  ok.content['text/csv'] = { schema: { type: 'string', description: 'format=csv: the same rows as CSV (a header line, then one line per row)' } };
}

/** The OpenAPI document of the HTTP API, from the controllers' and DTOs' metadata. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('laihua')
    .setDescription(
      'Hotline call assistant: flows, calls, and flow authoring (supervisors). WebSocket protocol: docs/PROTOCOL.md. ' +
        'A known path asked with a method it does not list answers 405 `METHOD_NOT_ALLOWED` with `Allow` (not listed per operation).',
    )
    .setVersion('1')
    .addServer('/')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The token of POST /api/auth/login' }, BEARER)
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-CTI-Signature',
        description: 'The telephony webhook: `sha256=` + hex HMAC-SHA-256 of `<X-CTI-Timestamp>.<raw body>` with CTI_SECRET (docs/CTI.md)',
      },
      CTI_SIGNATURE,
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-Survey-Signature',
        description: 'Survey answers: `sha256=` + hex HMAC-SHA-256 of `<X-Survey-Timestamp>.<raw body>` with SURVEY_SECRET (docs/SATISFACTION.md)',
      },
      SURVEY_SIGNATURE,
    )
    .build();
  config.info.license = { name: 'UNLICENSED' };
  const document = SwaggerModule.createDocument(app, config);
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ErrorBody: ERROR_BODY } };
  anyJson(document.components);
  const docs = handlerDocs(app);
  for (const item of Object.values(document.paths) as PathItemObject[]) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation) continue;
      const handler = docs.get(operation.operationId ?? '');
      if (!handler) throw new Error(`OpenAPI: no handler for operation ${operation.operationId}`);
      completeOperation(operation, handler);
      csvAlternative(operation);
    }
  }
  return document;
}

/**
 * The HTTP API described with OpenAPI: the document at /api/openapi.json, a browsable UI at /api/docs.
 * Built on its first request (then kept), not at boot: 60-80 ms of a restart's path to serving its
 * agents again. A handler without its docs still fails the build (`npm run lint:openapi`, openapi.cli.ts).
 */
export function setUpOpenApi(app: INestApplication): void {
  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'api/openapi.json' });
}
