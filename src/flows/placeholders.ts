import { factAt } from './conditions';
import type { Locale, LocalizedText } from './flow-definition';
import { LOCALES } from './flow-definition';

const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/g;

/** Fills `{{path}}` from the call's facts; a localized value (e.g. an offer title) in the given locale. */
export function fillPlaceholders(template: string, facts: unknown, locale: Locale): string {
  if (!template.includes('{{')) return template; // most step texts have none: no regex scan per view
  return template.replace(PLACEHOLDER, (_m, path: string) => {
    const value = factAt(facts, path);
    if (value === null || value === undefined) return '';
    if (typeof value === 'object' && locale in (value as object)) return String((value as Record<string, unknown>)[locale]);
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}

export function fillBoth(text: LocalizedText, facts: unknown): LocalizedText {
  return Object.fromEntries(LOCALES.map((l) => [l, fillPlaceholders(text[l], facts, l)])) as LocalizedText;
}
