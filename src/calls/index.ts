/**
 * The calls module's public surface: what other modules may use. The pure step code is re-exported
 * from ./step; the rest is the live engine (Nest), the rendered views and the logged call records.
 */
export * from './step';
export { CallEngine, type EndedCall } from './call-engine.service';
export type { BackendOutcome, Decision } from './call-engine-types';
export type { CallNotRecovered } from './unrecovered-call';
export { CallRecords } from './call-records.service';
export { CallViews } from './call-views.service';
export { type CallView, renderView } from './call-view';
export { CallsModule } from './calls.module';
export type { LiveCall } from './live-call';
