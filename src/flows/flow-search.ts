import type { FlowSearchHit } from '../../protocol/flows';
import type { FlowDefinition } from './flow-definition';

const WEIGHTS = { title: 5, scenario: 4, keyword: 3, id: 1 } as const;

const normalise = (text: string) => text.toLowerCase().replace(/[\s,.;:!?，。；：！？、]+/g, ' ').trim();

/** Scores one text against the query: the whole query inside it counts most, then each word. */
function score(text: string, query: string, words: string[]): number {
  const t = normalise(text);
  if (!t) return 0;
  if (t === query) return 1.5;
  if (t.includes(query) || (query.length >= 2 && query.includes(t))) return 1;
  const hits = words.filter((w) => t.includes(w)).length;
  return words.length ? (0.6 * hits) / words.length : 0;
}

/**
 * Ranked search over flow titles, keywords and service scenarios in both languages ("停机",
 * "suspend", "bill too high", "我订了什么业务"). Sub-blueprints (enter, hang-up) are not businesses
 * and are never returned.
 */
export function searchFlows(flows: FlowDefinition[], q: string, limit = 10): FlowSearchHit[] {
  const query = normalise(q);
  if (!query) return [];
  const words = query.split(' ').filter((w) => w.length > 1 || /[\u4e00-\u9fff]/.test(w));
  const hits: FlowSearchHit[] = [];
  for (const flow of flows) {
    if ((flow.kind ?? 'business') !== 'business') continue;
    const candidates: [string, number][] = [
      ...Object.values(flow.title).map((t): [string, number] => [t, WEIGHTS.title]),
      ...(flow.scenarios ?? []).flatMap((s) => Object.values(s).map((t): [string, number] => [t, WEIGHTS.scenario])),
      ...(flow.keywords ?? []).map((k): [string, number] => [k, WEIGHTS.keyword]),
      [flow.id, WEIGHTS.id],
    ];
    let total = 0;
    const matched: string[] = [];
    for (const [text, weight] of candidates) {
      const s = score(text, query, words);
      if (s > 0) {
        total += s * weight;
        if (s >= 0.6 && !matched.includes(text)) matched.push(text);
      }
    }
    if (total > 0) hits.push({ id: flow.id, version: flow.version, title: flow.title, score: Math.round(total * 100) / 100, matched });
  }
  return hits.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)).slice(0, limit);
}
