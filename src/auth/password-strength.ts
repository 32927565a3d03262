/**
 * The minimum strength of a password a person chooses (an admin's create/reset, a forced change):
 * a clear rule rather than an estimator — at least 10 characters and three of the four kinds
 * (lower case, upper case, digits, others), or a passphrase of 16 or more; at least 5 different
 * characters; never the username,
 * and never one of the passwords every guessing list starts with. Demo users keep `demo`.
 */
export const MIN_LENGTH = 10;
export const PASSPHRASE_LENGTH = 16;
export const MAX_LENGTH = 256;
export const MIN_DISTINCT = 5;

const COMMON = ['password', 'passw0rd', '12345678', '123456789', 'qwertyuiop', '1q2w3e4r', 'iloveyou', 'admin123', 'welcome1', 'letmein'];

export type PasswordProblem = 'too-short' | 'too-long' | 'too-few-kinds' | 'too-repetitive' | 'contains-username' | 'common';

export function passwordProblems(password: string, username = ''): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const length = [...password].length;
  if (length < MIN_LENGTH) problems.push('too-short');
  if (length > MAX_LENGTH) problems.push('too-long');
  const kinds = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{Ll}\p{Lu}\p{Nd}]/u].filter((k) => k.test(password)).length;
  if (length < PASSPHRASE_LENGTH && kinds < 3) problems.push('too-few-kinds');
  if (new Set(password).size < MIN_DISTINCT) problems.push('too-repetitive');
  const lower = password.toLowerCase();
  if (username.length >= 3 && lower.includes(username.toLowerCase())) problems.push('contains-username');
  if (COMMON.some((c) => lower.includes(c))) problems.push('common');
  return problems;
}

const WORDS: Record<PasswordProblem, string> = {
  'too-short': `is shorter than ${MIN_LENGTH} characters`,
  'too-long': `is longer than ${MAX_LENGTH} characters`,
  'too-few-kinds': `needs three of: lower case, upper case, digits, other characters (or ${PASSPHRASE_LENGTH}+ characters)`,
  'too-repetitive': `has fewer than ${MIN_DISTINCT} different characters`,
  'contains-username': 'contains the username',
  common: 'contains a commonly guessed password',
};

export const describeProblems = (problems: PasswordProblem[]): string[] => problems.map((p) => WORDS[p]);
