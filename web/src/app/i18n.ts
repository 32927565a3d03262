import type { Locale, LocalizedText } from '../../../protocol/flow-definition.js';
import { agentWords } from '../agent/agent-words.js';
import { floorWords } from '../floor/floor-words.js';
import { qaWords } from '../qa/qa-words.js';
import { appWords, ERRORS, LABELS } from './app-words.js';

/** One dictionary: the same keys in both locales. Each page keeps its own words next to it (agent-words, qa-words, floor-words, dashboard-i18n, editor-i18n). */
export type Words<K extends string> = Record<Locale, Record<K, string>>;

const merged = <K extends string>(...all: Words<string>[]): Words<K> =>
  ({ 'zh-CN': Object.assign({}, ...all.map((w) => w['zh-CN'])), en: Object.assign({}, ...all.map((w) => w.en)) }) as Words<K>;

type Key = keyof typeof appWords.en | keyof typeof agentWords.en | keyof typeof qaWords.en | keyof typeof floorWords.en;
const dictionaries = merged<Key>(appWords, agentWords, qaWords, floorWords);

let current: Locale = (localStorage.getItem('laihua.locale') as Locale) === 'en' ? 'en' : 'zh-CN';

export const locale = (): Locale => current;
export function setLocale(next: Locale): void {
  current = next;
  localStorage.setItem('laihua.locale', next);
  document.documentElement.lang = next;
}
/** The one lookup: a key of `words` in the current locale, with `{param}` filled in. */
export const translate = <K extends string>(words: Words<K>, key: K, params: Record<string, string | number> = {}): string =>
  words[current][key].replace(/\{(\w+)\}/g, (_m, p: string) => String(params[p] ?? ''));
export const t = (key: Key, params: Record<string, string | number> = {}): string => translate(dictionaries, key, params);
export const label = (value: string): string => LABELS[current][value] ?? value;
export const errorText = (code: string): string => ERRORS[current][code] ?? ERRORS[current].INTERNAL;
export const pick = (text: LocalizedText | null | undefined): string => (text ? text[current] : '');
