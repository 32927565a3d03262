/**
 * A subscriber number as people who do not need it in full see it (exports, the QA role): the
 * first three digits of a mobile number (the carrier's prefix) and the last four, the rest as `*` — enough to tell
 * calls apart and to match a number someone reads out, not enough to call or look it up.
 */
export function maskMsisdn(msisdn: string): string {
  // Shorter numbers (fixed lines, service numbers) keep only their last two digits.
  if (msisdn.length < 11) return '*'.repeat(Math.max(0, msisdn.length - 2)) + msisdn.slice(-2);
  return msisdn.slice(0, 3) + '*'.repeat(msisdn.length - 7) + msisdn.slice(-4);
}

/**
 * A person's name as people who do not need it see it (the QA role): the first character of each
 * word, the rest as `*` — `张伟` → `张*`, `Emily Chen` → `E**** C***`. Enough to tell a caller from
 * another in one call, not to identify them.
 */
export function maskName(name: string): string {
  return name.replace(/\S+/gu, (word) => {
    const chars = [...word];
    return chars[0] + '*'.repeat(chars.length - 1);
  });
}
