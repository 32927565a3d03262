/**
 * What a person reads on a page, and the checks of the language walk (test/browser/language-walk*.browser-spec.ts):
 * raw ids (known ids from flows/ and the simulator, `name@version`, camelCase keys), unrendered
 * `{{templates}}`, text of the other locale, and ids the page's translation layer could not name
 * (web/src/app/names.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from './server';

/**
 * The visible text of the page — each rendered text node on a line of its own (innerText would run
 * adjacent buttons together), the options of its selects, SVG text — plus the titles, aria-labels,
 * placeholders and alt texts of its elements. Left out: the ids the flow editor's step form shows
 * its authors on purpose (`data-author-id`: the keys they edit in the JSON), what a person typed
 * (`data-user-text`, e.g. an approval comment) and the values of form fields.
 */
export const visibleText = (page: Page): Promise<string> =>
  page.evaluate(() => {
    const lines: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      const text = n.textContent?.trim();
      if (!el || !text || el.closest('script, style, textarea, [data-author-id], [data-user-text]')) continue;
      const shown = el.tagName === 'OPTION' ? !!el.closest('select')?.checkVisibility() : el.checkVisibility({ visibilityProperty: true } as any);
      if (shown) lines.push(text);
    }
    const body = lines.join('\n');
    const attrs = [...document.querySelectorAll('[title], [aria-label], [placeholder], [alt]')]
      .filter((e) => e.tagName !== 'TITLE' || !!e.closest('svg'))
      .flatMap((e) => ['title', 'aria-label', 'placeholder', 'alt'].map((a) => e.getAttribute(a) ?? ''));
    const svgTitles = [...document.querySelectorAll('svg title')].map((e) => e.textContent ?? '');
    return [document.title, body, ...attrs, ...svgTitles].filter((s) => s.trim()).join('\n');
  });

/** Ids the page showed untranslated (the fallback of web/src/app/names.ts records each one). */
export const untranslated = (page: Page): Promise<string[]> => page.evaluate(() => [...((window as any).__laihua?.untranslated ?? [])]);

/** Every kebab-case id of flows/ (flows, steps, offers, checks, options, rules…) and the simulator's subscribed services. */
export function knownIds(): Set<string> {
  const ids = new Set<string>();
  const walk = (v: unknown, key = ''): void => {
    if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (key === 'states' && /-/.test(k)) ids.add(k);
        walk(x, k);
      }
    } else if (typeof v === 'string' && ['id', 'targetFlowId', 'target', 'initial'].includes(key) && /^[a-z0-9]+(-[a-z0-9]+)+$/.test(v)) ids.add(v);
  };
  const dir = path.join(REPO_ROOT, 'flows');
  const files = (d: string): string[] =>
    fs
      .readdirSync(d, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? files(path.join(d, e.name)) : e.name.endsWith('.json') ? [path.join(d, e.name)] : []));
  for (const f of files(dir)) walk(JSON.parse(fs.readFileSync(f, 'utf8')));
  const customers = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'src/backend/simulator/demo-customers.json'), 'utf8')) as { services: string[] }[];
  for (const c of customers) for (const s of c.services) ids.add(s);
  return ids;
}

/**
 * Customer data the simulator holds in Chinese (names): shown as they are in either locale. Listed
 * here on purpose (not read from the file) so that a new Chinese value must be looked at.
 */
export const SIMULATOR_NAMES = ['张伟', '李娜', '王芳', '刘洋', '陈静', '杨磊', '赵敏', '黄强', '周杰', '吴婷', '马丽', '孙浩', '郑洁', '钱峰', 'Emily Chen'];

const maskedName = (name: string): string => name.replace(/\S+/gu, (w) => [...w][0] + '*'.repeat([...w].length - 1));

/** Latin words a Chinese screen may show: the language switch, brand names and units the dictionary uses. */
export const ZH_LATIN_ALLOWED = ['English', 'SIM', 'QA', 'CSV', 'JSON', 'IVR', 'FCR', 'P90', 'VIP', 'ID', 'UTC', 'ms'];
/**
 * Data, not words: the suite's usernames, the back end's receipt and message numbers (an operation's
 * code before the call's idempotency key: `SMS-<call id>:<seq>`), call ids (uuid, or their first 8 hex digits).
 */
const DATA = [
  /\b[A-Z]+(-[A-Z]+)*-[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}(:\d+)?/g,
  /\b(agent|supervisor|qa|admin)\d+\b/g,
  /\b[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}\b/g,
  /\b(?=[a-f]*\d)(?=\d*[a-f])[0-9a-f]{8}\b/g,
];
/** Ids that are also plain English in flows' English texts (e.g. "Confirm the cross-region caller", "before hang-up", "follow-up pending"). */
const EN_PROSE = ['cross-region', 'hang-up', 'follow-up'];
/** The only Chinese an English screen may show besides customer names: the language switch. */
export const EN_CJK_ALLOWED = ['中文'];

const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+/g;

/** What is wrong with the text of one page in this locale (empty when nothing is). */
export function languageProblems(text: string, locale: 'zh-CN' | 'en', ids: Set<string>): string[] {
  const problems: string[] = [];
  for (const re of DATA) text = text.replace(re, ' ');
  const lines = text.split('\n');
  const where = (re: RegExp) =>
    lines
      .filter((l) => re.test(l))
      .slice(0, 3)
      .map((l) => l.trim().slice(0, 120));
  for (const id of ids) {
    if (locale === 'en' && EN_PROSE.includes(id)) continue;
    const re = new RegExp(`(?<![\\w-])${id.replace(/[-]/g, '\\-')}(?![\\w-])`);
    if (re.test(text)) problems.push(`raw id '${id}' in: ${where(re).join(' | ')}`);
  }
  for (const m of text.match(/(?<![\w-])[a-z][a-z0-9]*(?:-[a-z0-9]+)*@\d+/g) ?? []) problems.push(`raw name@version '${m}'`);
  for (const m of new Set(text.match(/\{\{[^}]*\}\}/g) ?? []))
    problems.push(`unrendered template '${m}' in: ${where(new RegExp(m.replace(/[{}.]/g, '\\$&'))).join(' | ')}`);
  for (const m of new Set(text.match(/(?<![\w.-])[a-z]+(?:[A-Z][a-z0-9]+)+(?![\w-])/g) ?? []))
    problems.push(`raw camelCase key '${m}' in: ${where(new RegExp(m)).join(' | ')}`);
  let rest = text;
  // A name as QA sees it is masked (张伟 → 张*, src/common/mask.ts): customer data all the same.
  for (const name of SIMULATOR_NAMES) rest = rest.split(name).join(' ').split(maskedName(name)).join(' ');
  for (const id of ids) rest = rest.split(id).join(' '); // reported above already
  if (locale === 'en') {
    for (const ok of EN_CJK_ALLOWED) rest = rest.split(ok).join(' ');
    for (const m of new Set(rest.match(CJK) ?? [])) problems.push(`Chinese in the English screen: '${m}' in: ${where(new RegExp(m)).join(' | ')}`);
  } else {
    const allowed = new Set(ZH_LATIN_ALLOWED);
    for (const m of new Set(rest.match(/[A-Za-z]{2,}/g) ?? []))
      if (!allowed.has(m)) problems.push(`English in the Chinese screen: '${m}' in: ${where(new RegExp(`(?<![A-Za-z])${m}(?![A-Za-z])`)).join(' | ')}`);
  }
  return problems;
}
