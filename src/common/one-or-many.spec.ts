import { addTo, holds, membersOf, type OneOrMany, OneOrManyMap, removeFrom, sizeOf } from './one-or-many';

describe('OneOrMany: nothing, one member, or a Set of several', () => {
  it('holds one member as itself and several in a Set, in the order they came', () => {
    let holder: OneOrMany<string> = undefined;
    expect([...membersOf(holder)]).toEqual([]);
    holder = addTo(holder, 'a');
    expect(holder).toBe('a');
    expect(addTo(holder, 'a')).toBe('a'); // added twice: once
    holder = addTo(holder, 'b');
    expect(holder).toBeInstanceOf(Set);
    holder = addTo(holder, 'c');
    expect([...membersOf(holder)]).toEqual(['a', 'b', 'c']);
    expect(sizeOf(holder)).toBe(3);
    expect(holds(holder, 'b')).toBe(true);
    expect(holds(holder, 'z')).toBe(false);
  });

  it('goes back to the member itself once one is left, and to nothing once none is', () => {
    let holder: OneOrMany<string> = addTo(addTo(addTo(undefined, 'a'), 'b'), 'c');
    holder = removeFrom(holder, 'b');
    expect([...membersOf(holder)]).toEqual(['a', 'c']);
    holder = removeFrom(holder, 'a');
    expect(holder).toBe('c');
    expect(removeFrom(holder, 'x')).toBe('c'); // not a member: unchanged
    holder = removeFrom(holder, 'c');
    expect(holder).toBeUndefined();
    expect(sizeOf(holder)).toBe(0);
    expect(holds(holder, 'c')).toBe(false);
  });

  it('keeps a key of a map only while it has members', () => {
    const map = new OneOrManyMap<string, object>();
    const [x, y] = [{}, {}];
    map.add('k', x);
    map.add('k', y);
    expect([...map.membersOf('k')]).toEqual([x, y]);
    map.remove('k', x);
    expect([...map.membersOf('k')]).toEqual([y]);
    expect(map.size).toBe(1);
    map.remove('k', y);
    expect(map.size).toBe(0);
    map.add('j', x);
    map.clear('j');
    expect(map.sizeOf('j')).toBe(0);
    expect(map.size).toBe(0);
  });
});
