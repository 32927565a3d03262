import { schemaValidator } from '../common/schema-validator';
import { readJsonFile, schemaProblem } from '../flows/json-data-file';
import { FlowLoadError } from '../flows/flow-loader';
import type { FlowProblem } from '../flows/flow-validator';
import { ID_SCHEMA } from '../flows/schema-parts';

/** One IVR menu code: what the caller keyed at one menu (digits, `*`, `#`). */
export const MENU_CODE = /^[0-9*#]{1,8}$/;
/** The most menus an IVR path may pass through. */
export const MAX_IVR_DEPTH = 16;

/**
 * Which business the IVR path a caller took suggests (docs/CTI.md §4), kept as data beside the
 * flows: the route with the longest path that begins the caller's path wins; `otherwise` when none.
 */
export interface IvrMap {
  version: 1;
  routes: IvrRoute[];
  otherwise: string;
}

export interface IvrRoute {
  /** Menu codes in the order the caller keys them, e.g. `["2", "1"]`. */
  path: string[];
  flowId: string;
}

const schema = {
  type: 'object',
  required: ['version', 'routes', 'otherwise'],
  additionalProperties: false,
  properties: {
    version: { const: 1 },
    routes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'flowId'],
        additionalProperties: false,
        properties: {
          path: { type: 'array', minItems: 1, maxItems: MAX_IVR_DEPTH, items: { type: 'string', pattern: MENU_CODE.source } },
          flowId: ID_SCHEMA,
        },
      },
    },
    otherwise: ID_SCHEMA,
  },
};

const validate = schemaValidator({ key: 'ivr-map', schema, options: { allErrors: true, strict: false } });
const problemOf = schemaProblem('route', []);

/** Which flows a route may name: the kind of a flow in force (a business, or the hotline's entry), or null when there is none. */
export type FlowKindOf = (flowId: string) => string | null;
const STARTABLE = ['business', 'enter'];

/**
 * Checks a parsed IVR map; `source` names the file in errors. Throws FlowLoadError with every
 * problem's JSON path: the schema, a path mapped twice, a flow that is not in force or cannot start a call.
 */
export function parseIvrMap(raw: unknown, source: string, kindOf: FlowKindOf): IvrMap {
  if (!validate(raw)) throw new FlowLoadError(source, (validate.errors ?? []).map(problemOf));
  const map = raw as unknown as IvrMap;
  const problems: FlowProblem[] = [];
  const seen = new Set<string>();
  const checkFlow = (flowId: string, at: string) => {
    const kind = kindOf(flowId);
    if (kind === null) problems.push({ path: at, message: `no flow '${flowId}' is in force` });
    else if (!STARTABLE.includes(kind))
      problems.push({ path: at, message: `flow '${flowId}' is a ${kind} flow: a call starts in a business or the hotline entry` });
  };
  map.routes.forEach((route, i) => {
    const key = route.path.join(' ');
    if (seen.has(key)) problems.push({ path: `$.routes[${i}].path`, message: `path [${route.path.join(', ')}] is mapped twice` });
    seen.add(key);
    checkFlow(route.flowId, `$.routes[${i}].flowId`);
  });
  checkFlow(map.otherwise, '$.otherwise');
  if (problems.length) throw new FlowLoadError(source, problems);
  return { version: 1, routes: map.routes, otherwise: map.otherwise };
}

export function loadIvrMap(file: string, kindOf: FlowKindOf): IvrMap {
  return parseIvrMap(readJsonFile(file), file, kindOf);
}

/** The business the caller's IVR path suggests: the longest route that begins it, else `otherwise`. */
export function suggestedFlow(map: IvrMap, ivrPath: readonly string[]): string {
  let best: IvrRoute | undefined;
  for (const route of map.routes) {
    const prefix = route.path.length <= ivrPath.length && route.path.every((code, i) => ivrPath[i] === code);
    if (prefix && (!best || route.path.length > best.path.length)) best = route;
  }
  return best?.flowId ?? map.otherwise;
}
