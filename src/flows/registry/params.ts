import { ACCOUNT_QUERIES, PROVISION_ACTIONS } from '../../backend/backend.port';

/**
 * Where a flow's strings reach code they are names or data, never code: registry names are plain
 * identifiers, fact paths are dotted keys (read as own properties only), context keys are
 * identifiers. `__proto__`, `constructor` and `prototype` are refused as path segments so a path
 * can never walk into an object's prototype.
 */
export const NAME_PATTERN = '^[A-Za-z][A-Za-z0-9]*$';
export const FACT_PATH_PATTERN = '^[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*$';
const ID_PATTERN = '^[a-z0-9][a-z0-9-]*$';
const PROTOTYPE_SEGMENT = '(^|\\.)(__proto__|constructor|prototype)(\\.|$)';

export const factPath = { type: 'string', minLength: 1, maxLength: 200, pattern: FACT_PATH_PATTERN, not: { pattern: PROTOTYPE_SEGMENT } } as const;
export const contextKey = { type: 'string', maxLength: 64, pattern: NAME_PATTERN, not: { enum: ['constructor'] } } as const;

const none = { type: 'object', additionalProperties: false, properties: {} } as const;
const closed = (properties: Record<string, unknown>, required: string[] = []) => ({ type: 'object', additionalProperties: false, required, properties });

/** The params of each named guard (`matches` takes a condition, checked with the condition schema). */
export const guardParams: Record<string, object | 'condition'> = {
  rule: closed({ name: { type: 'string', pattern: ID_PATTERN }, expect: { type: 'boolean' } }, ['name']),
  matches: 'condition',
};

/** The params of each named context update. */
export const actionParams: Record<string, object> = {
  setFromInput: closed({ key: contextKey, input: { type: 'string', pattern: NAME_PATTERN } }, ['key', 'input']),
  setFromEvent: closed({ key: contextKey, path: factPath }, ['key', 'path']),
  set: closed({ key: contextKey, value: {} }, ['key']),
  increment: closed({ key: contextKey, by: { type: 'number' } }, ['key']),
};

/** The static `input` of each named back-end step. */
export const operationInputs: Record<string, object> = {
  checkIvrPassword: none,
  checkIdDocument: none,
  checkEntryMonth: none,
  executeSuspension: none,
  queryAccount: closed({ what: { enum: [...ACCOUNT_QUERIES] } }, ['what']),
  provision: closed(
    {
      action: { enum: [...PROVISION_ACTIONS] },
      paramsFrom: { type: 'object', propertyNames: contextKey, additionalProperties: factPath },
      sms: { type: 'string', pattern: ID_PATTERN },
    },
    ['action'],
  ),
  sendConfirmationSms: closed({ template: { type: 'string', pattern: ID_PATTERN } }),
};

/** A registry lookup that only ever finds an implementation registered under that name. */
export function registered<T>(record: Record<string, T>, name: string): T | undefined {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}
