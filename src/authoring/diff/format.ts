import type { Lane, LocalizedText, Mark } from '../../flows/flow-definition';

/** Equality of JSON values (object key order ignored; objects from any realm). */
export function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => same(x, bb[i]));
  }
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export const lt = (en: string, zh: string): LocalizedText => ({ 'zh-CN': zh, en });

/** `'warn' (Warn before suspending)` / `「warn」（提醒停机注意事项）`. */
export function stepName(id: string, title?: LocalizedText): LocalizedText {
  return title ? lt(`'${id}' (${title.en})`, `「${id}」（${title['zh-CN']}）`) : lt(`'${id}'`, `「${id}」`);
}

/** A list of ids, each with its title when known: `'a', 'b'` / `「a」、「b」`; empty → nothing/无. */
export function idList(ids: string[], titles?: (id: string) => LocalizedText | undefined): LocalizedText {
  if (!ids.length) return lt('nothing', '无');
  const names = ids.map((id) => stepName(id, titles?.(id)));
  return lt(names.map((n) => n.en).join(', '), names.map((n) => n['zh-CN']).join('、'));
}

/** Short quotation of a text for a one-line sentence. */
export function quote(s: string | undefined, max = 60): string {
  if (s === undefined) return '""';
  const one = s.replace(/\s+/g, ' ').trim();
  return `"${one.length > max ? `${one.slice(0, max - 1)}…` : one}"`;
}

export const LANE_NAMES: Record<Lane, LocalizedText> = {
  customer: lt('customer', '顾客行为'),
  frontstage: lt('frontstage', '前台'),
  backstage: lt('backstage', '后台'),
  support: lt('support', '支持过程'),
};

export const MARK_NAMES: Record<Mark, LocalizedText> = {
  W: lt('W (waiting)', 'W（客户等待点）'),
  F: lt('F (failure)', 'F（失误点）'),
  D: lt('D (decision)', 'D（员工决策点）'),
  C: lt('C (care)', 'C（主动关怀点）'),
  M: lt('M (cross-sell)', 'M（关联营销点）'),
};

export const laneName = (lane: string): LocalizedText => LANE_NAMES[lane as Lane] ?? lt(lane, lane);
export const markName = (mark: string): LocalizedText => MARK_NAMES[mark as Mark] ?? lt(mark, mark);

/** `Step 'x' (title): ` prefix in both languages, followed by the sentence. */
export function onStep(name: LocalizedText, sentence: LocalizedText): LocalizedText {
  return lt(`Step ${name.en}: ${sentence.en}`, `步骤${name['zh-CN']}：${sentence['zh-CN']}`);
}

export const asArray = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

/** Items matched by id: [id, before?, after?] in the after-order, then the removed ones. */
export function byId<T>(before: T[] | undefined, after: T[] | undefined, key: (t: T) => string): [string, T | undefined, T | undefined][] {
  const b = new Map((before ?? []).map((t) => [key(t), t]));
  const a = new Map((after ?? []).map((t) => [key(t), t]));
  const ids = [...a.keys(), ...[...b.keys()].filter((id) => !a.has(id))];
  return ids.map((id) => [id, b.get(id), a.get(id)]);
}
