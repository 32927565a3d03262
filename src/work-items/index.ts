/** Work items' public surface: the module and its service (lists, the policy the end-of-call work raises items under). */
export { WorkItemsModule } from './work-items.module';
export { WorkItems } from './work-items.service';
export { WorkItemCallbacks } from './work-item-callbacks.service';
