import { ParseUUIDPipe } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { newCallId } from './call-id';

describe('newCallId', () => {
  const at = '2026-12-06T03:00:00.123Z';

  it('is a UUID version 7 carrying the start in milliseconds', () => {
    const id = newCallId(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.parse(at));
    expect(isUUID(id)).toBe(true);
  });

  it('keeps its version, variant and start in every id drawn from a pool of random bytes, across draws', () => {
    // 600 ids span three draws of 256: an id must not share, or be written into, another's bytes.
    const ids = Array.from({ length: 600 }, (_, i) => newCallId(new Date(Date.parse(at) + i).toISOString()));
    for (const [i, id] of ids.entries()) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.parse(at) + i);
    }
    expect(new Set(ids.map((id) => id.slice(15))).size).toBe(ids.length);
  });

  it('passes the id checks of the HTTP routes that take a call id', async () => {
    await expect(new ParseUUIDPipe().transform(newCallId(at), { type: 'param' })).resolves.toBeDefined();
  });

  it('sorts by start, and is unique among calls begun in the same millisecond', () => {
    const ids = Array.from({ length: 10_000 }, () => newCallId(at));
    expect(new Set(ids).size).toBe(ids.length);
    const later = newCallId('2026-12-06T03:00:00.124Z');
    expect(ids.every((id) => id < later)).toBe(true);
    expect(newCallId('2026-12-06T02:59:59.999Z') < ids[0]).toBe(true);
  });

  it('refuses what is not a time', () => {
    expect(() => newCallId('not a time')).toThrow(RangeError);
  });
});
