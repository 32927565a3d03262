/**
 * The OpenAPI document held to what the server really answers: every HTTP response the shared
 * helpers see (test/support/http.ts, and the raw requests of fuzz-http) must have a status the
 * document lists for that operation, and a JSON body that validates against the schema it gives.
 * The document is the one the server serves (/api/openapi.json), fetched once per test file.
 * Outside the document: a known path asked with a method it does not list is 405 (or a 400/413 of
 * the body parser, which reads every body before routing) with the error body; an unknown /api path
 * is 404 with it; pages and /metrics are not part of the API.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

interface MediaType {
  schema?: object;
}
interface Operation {
  responses: Record<string, { content?: Record<string, MediaType> }>;
}
interface PathEntry {
  template: string;
  pattern: RegExp;
  operations: Record<string, Operation>;
}
interface Contract {
  paths: PathEntry[];
  validator(key: string, schema: object): ValidateFunction;
}

const ERROR_BODY = { $ref: '#/components/schemas/ErrorBody' };
const NOT_API = /^\/(?!api\/)|^\/api\/(docs|openapi\.json)(\/|$|\?)/;

/** OpenAPI 3.0 → JSON Schema for Ajv: `nullable` as a null alternative, refs into the document's components. */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest))
    out[key] = key === '$ref' && typeof value === 'string' ? value.replace(/^#/, 'openapi#') : toJsonSchema(value);
  return nullable === true ? { anyOf: [{ type: 'null' }, out] } : out;
}

function contractOf(document: { paths: Record<string, Record<string, Operation>>; components: { schemas: object } }): Contract {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'openapi', components: { schemas: toJsonSchema(document.components.schemas) } });
  const compiled = new Map<string, ValidateFunction>();
  return {
    paths: Object.entries(document.paths).map(([template, operations]) => ({
      template,
      pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
      operations,
    })),
    validator(key, schema) {
      let validate = compiled.get(key);
      if (!validate) compiled.set(key, (validate = ajv.compile(toJsonSchema(schema) as object)));
      return validate;
    },
  };
}

const contracts = new Map<string, Promise<Contract>>();

function contractFor(baseUrl: string): Promise<Contract> {
  let contract = contracts.get(baseUrl);
  if (!contract) {
    contract = fetch(`${baseUrl}/api/openapi.json`, { signal: AbortSignal.timeout(10_000) }).then(async (res) => {
      if (res.status !== 200) throw new Error(`GET /api/openapi.json: HTTP ${res.status}`);
      return contractOf((await res.json()) as Parameters<typeof contractOf>[0]);
    });
    contracts.set(baseUrl, contract);
    // A server that could not answer (stopped, restarting) is asked again next time.
    contract.catch(() => contracts.delete(baseUrl));
  }
  return contract;
}

export interface SeenResponse {
  status: number;
  contentType: string | null;
  text: string;
}

/** What is wrong with this response by the document (empty: nothing). */
export async function undocumented(baseUrl: string, method: string, url: string, res: SeenResponse): Promise<string[]> {
  const path = url.split('?')[0];
  if (NOT_API.test(path)) return [];
  const contract = await contractFor(baseUrl);
  const entry = contract.paths.find((p) => p.pattern.test(path));
  const verb = method.toLowerCase();
  const operation = entry?.operations[verb === 'head' ? 'get' : verb];
  const where = `${method} ${path}${entry ? ` (${entry.template})` : ''} → ${res.status}`;
  let schema: object | undefined = ERROR_BODY;
  let key = 'error';
  if (!entry || !operation) {
    const expected = !entry ? [400, 404, 413] : [400, 405, 413];
    if (!expected.includes(res.status)) return [`${where}: ${!entry ? 'unknown path' : 'method not in the document'}, expected ${expected.join('/')}`];
  } else {
    const response = operation.responses[String(res.status)];
    if (!response) return [`${where}: status not documented (documented: ${Object.keys(operation.responses).join(', ')})`];
    const mediaType = (res.contentType ?? '').split(';')[0].trim();
    if (!response.content) return [];
    const documented = response.content[mediaType];
    if (!documented) return [`${where}: content type ${mediaType || '(none)'} not documented (${Object.keys(response.content).join(', ')})`];
    schema = documented.schema;
    key = `${entry.template} ${verb} ${res.status} ${mediaType}`;
    if (mediaType !== 'application/json') return [];
  }
  if (method === 'HEAD' || !schema) return [];
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    return [`${where}: body is not JSON: ${res.text.slice(0, 200)}`];
  }
  const validate = contract.validator(key, schema);
  if (validate(body)) return [];
  return (validate.errors ?? []).slice(0, 10).map((e) => `${where}: body${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

/** Fails (throws) when the response is not what the OpenAPI document says this route answers. */
export async function expectDocumented(baseUrl: string, method: string, url: string, res: SeenResponse): Promise<void> {
  const problems = await undocumented(baseUrl, method, url, res);
  if (problems.length) throw new Error(`The OpenAPI document does not describe this response:\n${problems.join('\n')}\n${res.text.slice(0, 500)}`);
}
