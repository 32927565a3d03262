import { schemaValidator } from '../common/schema-validator';
import type { WorkItemPriority, WorkItemType } from '../../protocol/work-items';
import { FlowLoadError } from '../flows/flow-loader';
import { readJsonFile, schemaProblem } from '../flows/json-data-file';

export const WORK_ITEM_TYPES = ['work-order', 'transfer', 'follow-up', 'callback'] as const satisfies readonly WorkItemType[];

/** One rule of the service-level policy: the first whose `when` matches an item decides its due time and priority. */
export interface ServiceLevelRule {
  id: string;
  when: { types?: WorkItemType[]; businesses?: string[]; tiers?: string[] };
  hours: number;
  priority: WorkItemPriority;
}

/** The policy file (flows/follow-up/service-levels.json): data, versioned like the other files beside the flows. */
export interface ServiceLevels {
  version: number;
  description?: string;
  /** The desk (a team id) that owns each type of item when it is raised. */
  desks: Record<WorkItemType, string>;
  rules: ServiceLevelRule[];
}

const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'desks', 'rules'],
  properties: {
    version: { type: 'integer', minimum: 1 },
    description: { type: 'string' },
    desks: {
      type: 'object',
      additionalProperties: false,
      required: [...WORK_ITEM_TYPES],
      properties: Object.fromEntries(WORK_ITEM_TYPES.map((t) => [t, { type: 'string', minLength: 1, maxLength: 64 }])),
    },
    rules: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'when', 'hours', 'priority'],
        properties: {
          id: { type: 'string', minLength: 1 },
          when: {
            type: 'object',
            additionalProperties: false,
            properties: {
              types: { type: 'array', items: { enum: [...WORK_ITEM_TYPES] } },
              businesses: { type: 'array', items: { type: 'string' } },
              tiers: { type: 'array', items: { type: 'string' } },
            },
          },
          hours: { type: 'number', exclusiveMinimum: 0, maximum: 24 * 90 },
          priority: { enum: ['high', 'normal'] },
        },
      },
    },
  },
} as const;

const validate = schemaValidator({ key: 'service-levels', schema: SCHEMA, options: { allErrors: true } });

/** Checks a policy: the schema, and a last rule that matches everything (every item must get a due time). */
export function parseServiceLevels(raw: unknown, source: string): ServiceLevels {
  if (!validate(raw)) throw new FlowLoadError(source, (validate.errors ?? []).map(schemaProblem('rule', [])));
  const policy = raw as unknown as ServiceLevels;
  const last = policy.rules.at(-1)!;
  if (Object.values(last.when).some((list) => list !== undefined)) {
    throw new FlowLoadError(source, [{ path: `$.rules[${policy.rules.length - 1}].when`, message: 'the last rule must match every item (an empty `when`)' }]);
  }
  return policy;
}

export const loadServiceLevels = (file: string): ServiceLevels => parseServiceLevels(readJsonFile(file), file);

const matches = (list: readonly string[] | undefined, value: string | null) => list === undefined || (value !== null && list.includes(value));

/** The rule that decides an item's due time and priority. */
export function ruleFor(policy: ServiceLevels, item: { type: WorkItemType; business: string | null; tier: string | null }): ServiceLevelRule {
  return policy.rules.find((r) => matches(r.when.types, item.type) && matches(r.when.businesses, item.business) && matches(r.when.tiers, item.tier))!;
}

/** When an item raised at `raisedAt` is due under its rule. */
export function dueAt(rule: ServiceLevelRule, raisedAt: string): string {
  return new Date(Date.parse(raisedAt) + rule.hours * 3_600_000).toISOString();
}
