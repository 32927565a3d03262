import { of } from 'rxjs';
import { HandlerTables, type MessageHandler } from './handler-tables';

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
    expect(tableA.callbackOf(callbacksA, 'call.decide')?.({ n: 1 }, 'call.decide')).toBe('a:call.decide:{"n":1}');
    expect(tableA.callbackOf(callbacksB, 'call.attach')?.({}, 'call.attach')).toBe('b:call.attach:{}');
    expect(tableA.callbackOf(callbacksA, 'call.hangup')).toBeUndefined();
    expect(tableA.callbackOf(callbacksA, 'constructor')).toBeUndefined();
  });

  it('keeps a table of its own for another list of events, or the same events in another order', () => {
    const tables = new HandlerTables();
    const transform = (x: unknown) => of(x);
    const first = tables.tableFor(bound('a', ['x', 'y']), transform);
    const reordered = tables.tableFor(bound('b', ['y', 'x']), transform);
    const longer = tables.tableFor(bound('c', ['x', 'y', 'z']), transform);
    expect(new Set([first, reordered, longer]).size).toBe(3);
    const callbacks = bound('b', ['y', 'x']).map((h) => h.callback);
    expect(reordered.callbackOf(callbacks, 'x')?.(1, 'x')).toBe('b:x:1');
    expect(tables.tableFor(bound('d', ['y', 'x']), transform)).toBe(reordered);
  });
});
