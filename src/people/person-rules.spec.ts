import { newPersonProblem, parseSupervises, seesTeam, storeSupervises } from './person-rules';

const person = { username: 'agent7', role: 'agent', password: 'Str0ng-Enough!' };

describe('person rules', () => {
  it('accepts a well-formed person', () => {
    expect(newPersonProblem(person)).toBeNull();
  });

  it.each([
    [{ username: 'a b' }, 'bad-username', 'username'],
    [{ username: 'x' }, 'bad-username', 'username'],
    [{ role: 'root' }, 'bad-role', 'role'],
    [{ password: 'demo' }, 'weak-password', 'password'],
    [{ password: 'agent7-Str0ng!' }, 'weak-password', 'password'],
  ])('%j → %s', (change, reason, field) => {
    expect(newPersonProblem({ ...person, ...change })).toMatchObject({ reason, field });
  });

  it('stores supervised teams sorted without repeats, and reads back what it stored (garbage: all)', () => {
    expect(storeSupervises(['b', 'a', 'b'])).toBe('["a","b"]');
    expect(parseSupervises(storeSupervises(['b', 'a']))).toEqual(['a', 'b']);
    expect(parseSupervises('all')).toBe('all');
    expect(parseSupervises('{not json')).toBe('all');
  });

  it('a supervisor of some teams sees agents of those teams only; of all, everyone (also agents without a team)', () => {
    expect(seesTeam('all', null)).toBe(true);
    expect(seesTeam(['t1'], 't1')).toBe(true);
    expect(seesTeam(['t1'], 't2')).toBe(false);
    expect(seesTeam(['t1'], null)).toBe(false);
    expect(seesTeam([], 't1')).toBe(false);
  });
});
