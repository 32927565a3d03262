import type { Observable } from 'rxjs';

/** One of a gateway's `@SubscribeMessage` handlers, as Nest hands it to the adapter for one connection (bound to it). */
export interface MessageHandler {
  message: string;
  callback: HandlerCallback;
}

export type HandlerCallback = (data: unknown, event: string) => Observable<unknown> | Promise<unknown> | unknown;

/**
 * A gateway's `@SubscribeMessage` handler as Nest made it, before it is bound to a connection
 * (shared-handlers.ts): Nest calls it with the gateway as `this`, then the client, the frame's data and its event.
 */
export type UnboundCallback = (this: object, client: unknown, data: unknown, event: string) => unknown;

export interface UnboundHandler {
  message: string;
  callback: UnboundCallback;
}

/** Turns a handler's result (a value, a promise, an observable) into the frames to send. */
export type ResultTransform = (data: unknown) => Observable<unknown>;

/** A gateway's handlers unbound (shared-handlers.ts), and the gateway they are called on. */
interface SharedCallbacks {
  gateway: object;
  callbacks: readonly UnboundCallback[];
}

/**
 * Which of a connection's handlers answers which event, and how their results are sent: the same for
 * every connection of a gateway, so kept once, not per connection. Where Nest hands the handlers
 * unbound (shared-handlers.ts), the table holds them too, and a connection holds nothing of its own.
 */
export class HandlerTable {
  private readonly index = new Map<string, number>();

  constructor(
    readonly messages: readonly string[],
    /**
     * The transform Nest made for the first connection of this table. Nest makes one per connection
     * (`WebSocketsController.subscribeMessages`), and it takes only the handler's result: it closes
     * over Nest's controller, never over the connection, so the first one serves them all.
     */
    readonly transform: ResultTransform,
    private readonly shared?: SharedCallbacks,
  ) {
    messages.forEach((message, i) => this.index.set(message, i));
  }

  /**
   * The handler for `event` on `client`: the table's own, called for that client, or, where Nest
   * bound them to the connection, the one of `callbacks` (the connection's, in this table's order).
   */
  callbackOf(client: unknown, callbacks: readonly HandlerCallback[] | undefined, event: string): HandlerCallback | undefined {
    const i = this.index.get(event);
    if (i === undefined) return undefined;
    if (!this.shared) return callbacks?.[i];
    const { gateway, callbacks: unbound } = this.shared;
    const callback = unbound[i];
    return (data, named) => callback.call(gateway, client, data, named);
  }

  get isShared(): boolean {
    return this.shared !== undefined;
  }

  matches(handlers: readonly (MessageHandler | UnboundHandler)[]): boolean {
    return handlers.length === this.messages.length && handlers.every((h, i) => h.message === this.messages[i]);
  }

  /** Whether it holds these unbound handlers of this gateway. */
  shares(handlers: readonly UnboundHandler[], gateway: object): boolean {
    return this.shared?.gateway === gateway && this.matches(handlers) && handlers.every((h, i) => h.callback === this.shared!.callbacks[i]);
  }
}

/**
 * The handler tables of a server's gateways (one in laihua). Nest binds each of a gateway's handlers
 * to every connection and wraps each in an object of its own: kept as they come, that is ~1.1 KB per
 * open connection (an array, seven wrappers, a transform closure; `bench/idle-heap.mjs`). A
 * connection keeps only its bound callbacks, in its table's order; the names and the transform are
 * the table's.
 */
export class HandlerTables {
  private readonly tables: HandlerTable[] = [];

  /** The table `handlers` follow (made from them the first time their list of events is seen). */
  tableFor(handlers: readonly MessageHandler[], transform: ResultTransform): HandlerTable {
    let table = this.tables.find((t) => !t.isShared && t.matches(handlers));
    if (!table) {
      table = new HandlerTable(
        handlers.map((h) => h.message),
        transform,
      );
      this.tables.push(table);
    }
    return table;
  }

  /** The table holding a gateway's unbound handlers (made the first time they are seen). */
  sharedTableFor(handlers: readonly UnboundHandler[], gateway: object, transform: ResultTransform): HandlerTable {
    let table = this.tables.find((t) => t.shares(handlers, gateway));
    if (!table) {
      table = new HandlerTable(
        handlers.map((h) => h.message),
        transform,
        { gateway, callbacks: handlers.map((h) => h.callback) },
      );
      this.tables.push(table);
    }
    return table;
  }
}
