/**
 * What the end-of-call work needs of work items (no Nest: it runs on the worker thread): the items a
 * trace raises, the script that writes them, and the policy's type.
 */
export { workItemsOf, type NewWorkItem } from './items-from-trace';
export { raiseWorkItems } from './raise-work-items';
export { callbackOutcomeOf, type CallbackOutcome, settleCallback } from './callback-outcome';
export { loadServiceLevels, type ServiceLevels } from './service-levels';
