import { WebSocketsController } from '@nestjs/websockets/web-sockets-controller.js';
import { from, mergeAll, type Observable } from 'rxjs';
import type { ResultTransform, UnboundHandler } from './handler-tables';

/** An adapter that serves a gateway's handlers, unbound, to every connection: one with this method. */
export interface SharedHandlersAdapter {
  bindSharedHandlers(client: unknown, handlers: readonly UnboundHandler[], gateway: object, transform: ResultTransform): void;
}

/** What the patched method reads of Nest's controller (fields of `WebSocketsController` in @nestjs/websockets 12). */
interface ControllerInternals {
  config?: { getIoAdapter?: () => unknown };
  pickResult(result: unknown): Promise<Observable<unknown>>;
}

type SubscribeMessages = (this: ControllerInternals, handlers: UnboundHandler[], client: unknown, gateway: object) => void;

const SHARED = Symbol('laihua: handlers shared among connections');

/** One transform per Nest controller, as Nest's own closes over nothing but its controller. */
const transforms = new WeakMap<ControllerInternals, ResultTransform>();

const sharesHandlers = (adapter: unknown): adapter is SharedHandlersAdapter =>
  typeof (adapter as Partial<SharedHandlersAdapter> | null)?.bindSharedHandlers === 'function';

/**
 * Makes Nest hand adapters with `bindSharedHandlers` a gateway's handlers unbound, once per connection, instead of
 * binding each handler to each connection (`callback.bind(gateway, client)` in
 * `WebSocketsController.subscribeMessages`): seven bound functions and their argument lists, ~0.6 KB of
 * every open connection for as long as it is open (bench/idle-heap.mjs; docs/PERFORMANCE.md,
 * twenty-ninth session). Other adapters get Nest's own method. Idempotent; throws when this Nest no
 * longer has the method the patch replaces (shared-handlers.spec.ts says so on an upgrade).
 */
export function shareGatewayHandlers(): void {
  const prototype = WebSocketsController.prototype as unknown as { subscribeMessages: SubscribeMessages & { [SHARED]?: true }; pickResult?: unknown };
  const stock = prototype.subscribeMessages;
  if (stock[SHARED]) return;
  if (typeof stock !== 'function' || stock.length !== 3 || typeof prototype.pickResult !== 'function') {
    throw new Error('@nestjs/websockets: WebSocketsController.subscribeMessages is not what src/realtime/shared-handlers.ts replaces');
  }
  const shared: SubscribeMessages & { [SHARED]?: true } = function (this: ControllerInternals, handlers, client, gateway) {
    const adapter = this.config?.getIoAdapter?.();
    if (!sharesHandlers(adapter)) return stock.call(this, handlers, client, gateway);
    let transform = transforms.get(this);
    if (!transform) transforms.set(this, (transform = (data: unknown) => from(this.pickResult(data)).pipe(mergeAll())));
    adapter.bindSharedHandlers(client, handlers, gateway, transform);
  };
  shared[SHARED] = true;
  prototype.subscribeMessages = shared;
}
