import { of } from 'rxjs';
import { HandlerTables, type MessageHandler, type UnboundHandler } from './handler-tables';

/** A connection's handlers as Nest binds them: each callback says which connection and handler it is. */
const bound = (client: string, messages: string[]): MessageHandler[] =>
  messages.map((message) => ({ message, callback: (data: unknown) => `${client}:${message}:${JSON.stringify(data)}` }));

describe('HandlerTables', () => {
  it('shares one table among connections whose handlers name the same events, and each connection keeps its own callbacks', () => {
    const tables = new HandlerTables();
    const transform = (x: unknown) => of(x);
    const a = bound('a', ['call.start', 'call.decide', 'call.attach']);
    const b = bound('b', ['call.start', 'call.decide', 'call.attach']);
    const tableA = tables.tableFor(a, transform);
    const tableB = tables.tableFor(b, (x: unknown) => of(x, x));
    expect(tableB).toBe(tableA);
    expect(tableB.transform).toBe(transform); // the first connection's serves them all
    const callbacksA = a.map((h) => h.callback);
    const callbacksB = b.map((h) => h.callback);
    expect(tableA.callbackOf('a', callbacksA, 'call.decide')?.({ n: 1 }, 'call.decide')).toBe('a:call.decide:{"n":1}');
    expect(tableA.callbackOf('b', callbacksB, 'call.attach')?.({}, 'call.attach')).toBe('b:call.attach:{}');
    expect(tableA.callbackOf('a', callbacksA, 'call.hangup')).toBeUndefined();
    expect(tableA.callbackOf('a', callbacksA, 'constructor')).toBeUndefined();
  });

  it('keeps a table of its own for another list of events, or the same events in another order', () => {
    const tables = new HandlerTables();
    const transform = (x: unknown) => of(x);
    const first = tables.tableFor(bound('a', ['x', 'y']), transform);
    const reordered = tables.tableFor(bound('b', ['y', 'x']), transform);
    const longer = tables.tableFor(bound('c', ['x', 'y', 'z']), transform);
    expect(new Set([first, reordered, longer]).size).toBe(3);
    const callbacks = bound('b', ['y', 'x']).map((h) => h.callback);
    expect(reordered.callbackOf('b', callbacks, 'x')?.(1, 'x')).toBe('b:x:1');
    expect(tables.tableFor(bound('d', ['y', 'x']), transform)).toBe(reordered);
  });

  it('holds a gateway’s unbound handlers once and calls each, on the gateway, for the connection the frame came on', () => {
    const tables = new HandlerTables();
    const transform = (x: unknown) => of(x);
    const gateway = { name: 'gateway' };
    const handlers: UnboundHandler[] = ['call.start', 'call.decide'].map((message) => ({
      message,
      callback(this: object, client: unknown, data: unknown, event: string) {
        return `${(this as { name: string }).name}:${String(client)}:${event}:${JSON.stringify(data)}`;
      },
    }));
    const table = tables.sharedTableFor(handlers, gateway, transform);
    expect(tables.sharedTableFor(handlers, gateway, (x: unknown) => of(x, x))).toBe(table);
    expect(table.callbackOf('a', undefined, 'call.decide')?.({ n: 1 }, 'call.decide')).toBe('gateway:a:call.decide:{"n":1}');
    expect(table.callbackOf('b', undefined, 'call.start')?.({}, 'call.start')).toBe('gateway:b:call.start:{}');
    expect(table.callbackOf('a', undefined, 'call.hangup')).toBeUndefined();
    // Another gateway, or other callbacks under the same names, is another table; so are bound handlers.
    expect(tables.sharedTableFor(handlers, { name: 'other' }, transform)).not.toBe(table);
    expect(
      tables.sharedTableFor(
        handlers.map((h) => ({ ...h, callback: () => 'x' })),
        gateway,
        transform,
      ),
    ).not.toBe(table);
    expect(tables.tableFor(bound('c', ['call.start', 'call.decide']), transform)).not.toBe(table);
  });
});
