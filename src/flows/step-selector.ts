import type { Lane, Mark } from './flow-definition';
import type { OperationEffect } from './registry/operation-effects';

/** What a selector looks at in a step: a draft's state (publish policies) or a replayed call's step (QA checks). */
export interface SelectableStep {
  id: string;
  final: boolean;
  lane: string | null;
  marks: string[];
  effects: OperationEffect[];
}

/**
 * Names states in a publish policy or a QA check. Every field given must match (AND); a field matches when the state has
 * any of its values (OR). `effects` come from what the state invokes (registry/operation-effects.ts).
 */
export interface Selector {
  ids?: string[];
  marks?: Mark[];
  lanes?: Lane[];
  effects?: OperationEffect[];
  final?: boolean;
}

export function matchesSelector(state: SelectableStep, selector: Selector): boolean {
  const anyOf = <T>(wanted: T[] | undefined, has: (value: T) => boolean) => wanted === undefined || wanted.some(has);
  return (
    anyOf(selector.ids, (id) => state.id === id) &&
    anyOf(selector.marks, (m) => state.marks.includes(m)) &&
    anyOf(selector.lanes, (l) => state.lane === l) &&
    anyOf(selector.effects, (e) => state.effects.includes(e)) &&
    (selector.final === undefined || state.final === selector.final)
  );
}

const EFFECT_WORDS: Record<OperationEffect, string> = {
  check: 'verifies the customer',
  query: 'queries the account',
  change: 'changes the account',
  notify: 'notifies the customer',
  ticket: 'raises a ticket or transfers',
};

/** The selector in plain words, for finding messages: "a step marked C that verifies the customer". */
export function describeSelector(selector: Selector): string {
  const parts: string[] = [];
  if (selector.final !== undefined) parts.push(selector.final ? 'an ending' : 'a step (not an ending)');
  else parts.push('a step');
  if (selector.ids) parts.push(`named ${selector.ids.map((id) => `'${id}'`).join(' or ')}`);
  if (selector.marks) parts.push(`marked ${selector.marks.join(' or ')}`);
  if (selector.lanes) parts.push(`in the ${selector.lanes.join(' or ')} lane`);
  if (selector.effects) parts.push(`that ${selector.effects.map((e) => EFFECT_WORDS[e]).join(' or ')}`);
  return parts.join(' ');
}
