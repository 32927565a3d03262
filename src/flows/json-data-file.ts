import type { ErrorObject } from 'ajv';
import { schemaValidator } from '../common/schema-validator';
import * as fs from 'node:fs';
import { FlowLoadError } from './flow-loader';
import type { FlowProblem } from './flow-validator';

/** Data files beside the flows (policies, QA checks…) are read like flow files, their problems reported the same way (FlowLoadError, JSON paths): unreadable or non-JSON is a problem at `$`. */
export function readJsonFile(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new FlowLoadError(file, [{ path: '$', message: `not valid JSON: ${(e as Error).message}` }]);
  }
}

const segment = (p: string) => (/^\d+$/.test(p) ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `['${p}']`);
const jsonPath = (pointer: string) =>
  '$' +
  pointer
    .split('/')
    .slice(1)
    .map((p) => segment(p.replace(/~1/g, '/').replace(/~0/g, '~')))
    .join('');

/** One ajv error as a problem at its JSON path; `kinds` names what a discriminated union accepts (e.g. "policy kind"). */
export const schemaProblem =
  (noun: string, kinds: readonly string[]) =>
  (e: ErrorObject): FlowProblem => {
    if (e.keyword === 'additionalProperties')
      return { path: jsonPath(`${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty}`), message: 'unknown property' };
    if (e.keyword === 'required')
      return { path: jsonPath(`${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}`), message: 'is required' };
    if (e.keyword === 'discriminator') {
      const { tag, tagValue } = e.params as { tag: string; tagValue: unknown };
      return { path: jsonPath(`${e.instancePath}/${tag}`), message: `unknown ${noun} ${JSON.stringify(tagValue)} (one of ${kinds.join(', ')})` };
    }
    return { path: jsonPath(e.instancePath), message: e.message ?? 'is invalid' };
  };

/** Items of a list must have distinct ids: each repeat is a problem at `$.<list>[i].id`. */
export function duplicateIds(items: readonly { id: string }[], list: string, noun: string): FlowProblem[] {
  const seen = new Set<string>();
  return items.flatMap((item, i) =>
    seen.has(item.id) ? [{ path: `$.${list}[${i}].id`, message: `duplicate ${noun} id '${item.id}'` }] : (seen.add(item.id), []),
  );
}

/**
 * The parser of a versioned file of kinded items (`{ version, <list>: [{ id, kind, … }] }`, e.g. the
 * authoring policies, the QA call checks): the schema (a union discriminated on `kind`, so ajv
 * reports the errors of the item's own kind), then distinct ids. `source` names the file in errors;
 * each problem has its JSON path (FlowLoadError).
 */
export function kindedListParser<S extends { version: number }>(key: string, schema: object, list: string, noun: string, kinds: readonly string[]) {
  const validate = schemaValidator({ key, schema, options: { allErrors: true, strict: false, discriminator: true } });
  const problemOf = schemaProblem(`${noun} kind`, kinds);
  return (raw: unknown, source: string): S => {
    if (!validate(raw)) throw new FlowLoadError(source, (validate.errors ?? []).map(problemOf));
    const set = raw as { version: number } & Record<string, { id: string }[]>;
    const problems = duplicateIds(set[list], list, noun);
    if (problems.length) throw new FlowLoadError(source, problems);
    return { version: set.version, [list]: set[list] } as unknown as S;
  };
}
