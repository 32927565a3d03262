/**
 * The OpenAPI document the server serves (issue 18): every route of the app is in it, with bearer
 * security exactly where a token is needed, a schema for every response, and the one error body for
 * every error status. What it says is held to real answers by test/support/openapi-check.ts (every
 * response of the shared HTTP helpers); here that check is shown to catch what it should.
 */
import { getMetadataStorage } from 'class-validator';
import { HTTP_ACCESS } from '../support/access-table';
import { appSurface } from '../support/app-surface';
import { undocumented } from '../support/openapi-check';
import { useServer } from '../support/use-server';

interface Response {
  content?: Record<string, { schema?: { $ref?: string; allOf?: { $ref?: string }[] } }>;
}
interface Schema {
  type?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  properties?: Record<string, Schema>;
}
interface Operation {
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
  responses: Record<string, Response>;
}

describe('the OpenAPI document', () => {
  const server = useServer({ users: ['agent1'] });
  let doc: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

  beforeAll(async () => {
    doc = (await (await fetch(`${server.baseUrl}/api/openapi.json`)).json()) as typeof doc;
  });

  it('has every route of the app, with security exactly where a token is needed, and a schema for every answer', () => {
    const problems: string[] = [];
    const routes = appSurface().routes.filter((r) => r.path.startsWith('/api/'));
    expect(routes.length).toBeGreaterThan(30);
    for (const route of routes) {
      const operation = doc.paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()];
      if (!operation) {
        problems.push(`${route.key}: not in the document`);
        continue;
      }
      const isPublic = HTTP_ACCESS[route.key] === 'public';
      const access = HTTP_ACCESS[route.key];
      const security = isPublic ? [] : access === 'cti-signature' || access === 'survey-signature' ? [{ [access]: [] }] : [{ bearer: [] }];
      if (JSON.stringify(operation.security) !== JSON.stringify(security)) problems.push(`${route.key}: security ${JSON.stringify(operation.security)}`);
      if (!!operation.responses['401'] === isPublic && route.key !== 'POST /api/auth/login')
        problems.push(`${route.key}: 401 ${isPublic ? 'listed' : 'missing'}`);
      for (const [status, response] of Object.entries(operation.responses)) {
        const schema = response.content?.['application/json']?.schema;
        // A redirect (SSO's browser navigations) has no body, only a Location; nor has a 204 (logging out).
        if (status === '302' || status === '204') continue;
        if (!schema) problems.push(`${route.key} ${status}: no JSON schema`);
        else if (Number(status) >= 400 && schema.allOf?.[0]?.$ref !== '#/components/schemas/ErrorBody')
          problems.push(`${route.key} ${status}: not the ErrorBody`);
      }
      if (!['200', '201', '204', '302'].some((s) => operation.responses[s])) problems.push(`${route.key}: no success response`);
    }
    expect(problems).toEqual([]);
  });

  it('states every constraint the validators enforce on a body or query field: pattern, lengths, bounds, enum, integer', () => {
    const BODY = '3';
    const QUERY = '4';
    const problems: string[] = [];
    let checked = 0;
    for (const route of appSurface().routes.filter((r) => r.path.startsWith('/api/'))) {
      const operation = doc.paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()];
      const args = (Reflect.getMetadata('__routeArguments__', route.controllerClass, route.handler) ?? {}) as Record<string, { index: number; data?: unknown }>;
      const types = (Reflect.getMetadata('design:paramtypes', route.controllerClass.prototype, route.handler) ?? []) as (new () => object)[];
      for (const [key, arg] of Object.entries(args)) {
        const kind = key.split(':')[0];
        if ((kind !== BODY && kind !== QUERY) || arg.data !== undefined || !operation) continue;
        const dto = types[arg.index];
        const schemaOf = (field: string): Schema | undefined =>
          kind === BODY
            ? doc.components.schemas[dto.name]?.properties?.[field]
            : operation.parameters?.find((p) => p.in === 'query' && p.name === field)?.schema;
        for (const rule of getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false)) {
          if (rule.each) continue;
          const schema = schemaOf(rule.propertyName);
          const c = rule.constraints as unknown[] | undefined;
          const expected: Partial<Schema> | undefined = {
            matches: { pattern: (c?.[0] as RegExp | undefined)?.source },
            minLength: { minLength: c?.[0] as number },
            maxLength: { maxLength: c?.[0] as number },
            min: { minimum: c?.[0] as number },
            max: { maximum: c?.[0] as number },
            isIn: { enum: c?.[0] as unknown[] },
            isInt: { type: 'integer' },
          }[rule.name ?? ''];
          if (!expected) continue;
          checked++;
          const [[name, value]] = Object.entries(expected);
          const actual = schema?.[name as keyof Schema];
          if (JSON.stringify(actual) !== JSON.stringify(value)) {
            problems.push(`${route.key} ${dto.name}.${rule.propertyName}: ${name} is ${JSON.stringify(actual)}, the validator says ${JSON.stringify(value)}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });

  it('catches an answer it does not describe: a status, a body off its schema, a code not of that status', async () => {
    const json = (status: number, body: unknown) => ({ status, contentType: 'application/json; charset=utf-8', text: JSON.stringify(body) });
    const base = server.baseUrl;
    expect(await undocumented(base, 'GET', '/api/health', json(418, {}))).toEqual([expect.stringContaining('status not documented')]);
    expect(await undocumented(base, 'GET', '/api/health', json(200, { status: 'fine' }))).not.toEqual([]);
    expect(await undocumented(base, 'GET', '/api/flows', json(200, [{ id: 'x' }]))).not.toEqual([]);
    expect(await undocumented(base, 'GET', '/api/flows', json(401, { code: 'NOT_FOUND', message: 'x' }))).not.toEqual([]);
    expect(await undocumented(base, 'GET', '/api/flows', json(401, { code: 'UNAUTHORIZED', message: 'x', extra: 1 }))).not.toEqual([]);
    expect(await undocumented(base, 'GET', '/api/flows', json(401, { code: 'UNAUTHORIZED', message: 'Sign in' }))).toEqual([]);
    expect(await undocumented(base, 'DELETE', '/api/flows', json(404, { code: 'NOT_FOUND', message: 'x' }))).not.toEqual([]);
    expect(await undocumented(base, 'GET', '/api/no-such-thing', json(200, {}))).not.toEqual([]);
    expect(await undocumented(base, 'GET', '/api/qa/calls', { status: 200, contentType: 'text/csv; charset=utf-8', text: 'id\n' })).toEqual([]);
  });
});
