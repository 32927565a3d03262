/**
 * The pure, deterministic step code: how a call moves from one logged input to the next. Shared by
 * the live engine, crash recovery, QA replay, dry runs and the call simulator. Knows no Nest, no
 * database and no clock: everything it needs is in its arguments, so replay gives the same steps.
 */
export { ADD_NEED, ANOTHER_BUSINESS, CALL_LEVEL_LABELS, FINISH_CALL, FLOW_ID_INPUT } from './call-level-options';
export { advance, atHub, beginCall, callLevelOptions } from './call-progress';
export { actionOf, callTrace, type CallTrace, stepShape, type StepShape, type TraceEntry, type TraceSoFar } from './call-trace';
export type { CallEventType, CallInput, CallProgress, CallStart, Effect, Segment } from './call-progress-types';
export { type InputProblem, NOT_KEPT, refuseNotKept, resolveDecisionInput } from './decision-input';
export { pointKey, stepOffers } from './offers';
export type { Divergence } from '../../../protocol/calls';
export { reapply, replayCall, type ReplayResult, replaySteps } from './replay';
export { availableOptions, confirmedPrompts, promptsFor, stepIdOf, stepMeta } from './step-model';
