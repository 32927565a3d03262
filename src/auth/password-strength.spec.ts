import { describeProblems, passwordProblems } from './password-strength';

describe('the minimum password strength', () => {
  it.each([
    ['Tr0ub4dor-x', []],
    ['correct horse battery staple', []],
    ['demo', ['too-short', 'too-few-kinds', 'too-repetitive']],
    ['abcdefghijk', ['too-few-kinds']],
    ['abcdefghijK1', []],
    ['aaaaaaaaaaaaaaaaaa', ['too-repetitive']],
    ['1212121212121212', ['too-repetitive']],
    ['MyPassword-2026', ['common']],
    ['agent7-Secret!', ['contains-username']],
    ['xyz-XYZ-12'.repeat(26), ['too-long']],
  ])('%s → %j', (password, problems) => {
    expect(passwordProblems(password, 'agent7')).toEqual(problems);
  });

  it('counts characters, not UTF-16 units, and knows non-Latin letters and digits', () => {
    expect(passwordProblems('客服热线密码二〇二六1A', 'x')).toEqual([]);
    expect(passwordProblems('😀😀😀😀😀a1', 'x')).toEqual(['too-short', 'too-repetitive']);
  });

  it('says each problem in words', () => {
    expect(describeProblems(['too-short', 'common'])).toEqual(['is shorter than 10 characters', 'contains a commonly guessed password']);
  });
});
