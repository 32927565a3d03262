import type { AnyMachineSnapshot } from 'xstate';
import { evaluate } from '../../flows/conditions';
import type { FlowDefinition, OfferDefinition, OptionDefinition, PromptDefinition, StepMeta } from '../../flows/flow-definition';
import type { CompiledFlow } from '../../flows/flow-loader';
import { AppError } from '../../common/app-error';
import { ObjectMemo } from '../../common/object-memo';
import type { CallProgress } from './call-progress-types';
import { noneYet } from './empty-list';

/** Flat flows: a call is always in exactly one step, named by its state id. */
export function stepIdOf(snapshot: AnyMachineSnapshot): string {
  const value = snapshot.value;
  if (typeof value !== 'string') throw new Error(`Flows are flat; got state value ${JSON.stringify(value)}`);
  return value;
}

export function stepMeta(flow: FlowDefinition, stepId: string): StepMeta {
  const meta = flow.machine.states[stepId]?.meta;
  if (!meta) throw new Error(`Flow ${flow.id}@${flow.version} has no step '${stepId}'`);
  return meta;
}

/** The care prompts a decision confirms, checked against those of the step shown (none between businesses); duplicates dropped. */
export function confirmedPrompts(progress: CallProgress, confirmed: string[]): string[] {
  const { snapshot } = progress;
  if (progress.record.status === 'active' && snapshot.status === 'done') return [];
  const known = promptsFor(stepMeta(progress.flow.definition, stepIdOf(snapshot)), snapshot.context).map((p) => p.id);
  const unknown = confirmed.filter((id) => !known.includes(id));
  if (unknown.length) {
    throw new AppError('VALIDATION_FAILED', 'Unknown care prompts confirmed', [
      { field: 'confirmedPrompts', problems: [`not prompts of this step: ${unknown.join(', ')}`] },
    ]);
  }
  return [...new Set(confirmed)];
}

export function promptsFor(meta: StepMeta, context: Record<string, unknown>): PromptDefinition[] {
  return (meta.prompts ?? []).filter((p) => !p.when || evaluate(p.when, context));
}

/** The options the agent may choose now: the flow's options whose event the machine would accept (a shared array: read it only). */
export function availableOptions(flow: CompiledFlow, snapshot: AnyMachineSnapshot, offers: OfferDefinition[]): OptionDefinition[] {
  if (snapshot.status !== 'active') return [];
  const known = available.get(snapshot);
  if (known?.flow === flow && known.offers === offers) return known.options;
  const meta = stepMeta(flow.definition, stepIdOf(snapshot));
  const hasOffers = offers.length > 0;
  const all = meta.options ?? NO_OPTIONS;
  const accepted = all.filter((o) => (!o.requiresOffers || hasOffers) && snapshot.can({ type: o.event, input: {} }));
  // Every option open (most steps): the flow's own array, not a copy kept by each waiting call; else the
  // one list of those options every call shares.
  const options = accepted.length === all.length ? all : sharedList(all, accepted);
  available.set(snapshot, offers.length ? { flow, offers, options } : sharedAnswer(flow, offers, options));
  return options;
}

const NO_OPTIONS = noneYet<OptionDefinition>();

/**
 * The options a step offers are a handful of subsets of the flow's list, and the answer without offers
 * is the same for every call in the step: each waiting call keeps the shared ones (frozen), not copies
 * of its own (~150 B of an idle call; docs/PERFORMANCE.md, thirtieth session). Keyed by the flow's own
 * arrays and objects, of which a server has a few thousand at most.
 */
const listsOfStep = new WeakMap<OptionDefinition[], Map<string, OptionDefinition[]>>();
const answersOfFlow = new WeakMap<CompiledFlow, Map<OptionDefinition[], OptionsAnswer>>();

interface OptionsAnswer {
  flow: CompiledFlow;
  offers: OfferDefinition[];
  options: OptionDefinition[];
}

function sharedList(all: OptionDefinition[], accepted: OptionDefinition[]): OptionDefinition[] {
  let lists = listsOfStep.get(all);
  if (!lists) listsOfStep.set(all, (lists = new Map()));
  const key = accepted.map((o) => o.id).join('\u0000');
  let list = lists.get(key);
  if (!list) lists.set(key, (list = Object.freeze(accepted) as OptionDefinition[]));
  return list;
}

/** The memo's answer for a step without offers: shared while the caller's empty list of offers is the same one (stepOffers' own). */
function sharedAnswer(flow: CompiledFlow, offers: OfferDefinition[], options: OptionDefinition[]): OptionsAnswer {
  let answers = answersOfFlow.get(flow);
  if (!answers) answersOfFlow.set(flow, (answers = new Map()));
  const known = answers.get(options);
  if (known?.offers === offers) return known;
  const answer = Object.freeze({ flow, offers, options });
  if (!known) answers.set(options, answer);
  return answer;
}

/**
 * Snapshots are immutable, so each one's options are asked of the machine once (every option is a
 * guarded `can`): the view shows them, then the decision that answers it is checked against them.
 * Kept on the snapshot, not in a WeakMap (common/object-memo.ts: a mark-compact settles every
 * WeakMap entry in its pause).
 */
const available = new ObjectMemo<AnyMachineSnapshot, OptionsAnswer>('options available');
