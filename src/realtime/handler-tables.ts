import type { Observable } from 'rxjs';

/** One of a gateway's `@SubscribeMessage` handlers, as Nest hands it to the adapter for one connection (bound to it). */
export interface MessageHandler {
  message: string;
  callback: HandlerCallback;
}

export type HandlerCallback = (data: unknown, event: string) => Observable<unknown> | Promise<unknown> | unknown;

/** Turns a handler's result (a value, a promise, an observable) into the frames to send. */
export type ResultTransform = (data: unknown) => Observable<unknown>;

/**
 * Which of a connection's handlers answers which event, and how their results are sent: the same for
 * every connection of a gateway, so kept once, not per connection.
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
  ) {
    messages.forEach((message, i) => this.index.set(message, i));
  }

  /** The callback of `callbacks` (a connection's, in this table's order) for `event`. */
  callbackOf(callbacks: readonly HandlerCallback[], event: string): HandlerCallback | undefined {
    const i = this.index.get(event);
    return i === undefined ? undefined : callbacks[i];
  }

  matches(handlers: readonly MessageHandler[]): boolean {
    return handlers.length === this.messages.length && handlers.every((h, i) => h.message === this.messages[i]);
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
    let table = this.tables.find((t) => t.matches(handlers));
    if (!table) {
      table = new HandlerTable(
        handlers.map((h) => h.message),
        transform,
      );
      this.tables.push(table);
    }
    return table;
  }
}
