import type { LocalizedText } from '../flows/flow-definition';

/** A stored definition as JSON; null if it is not a JSON object (only a hand-edited database gets there). */
export function parseStored(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const isLocalizedText = (x: unknown): x is LocalizedText =>
  !!x && typeof x === 'object' && typeof (x as LocalizedText)['zh-CN'] === 'string' && typeof (x as LocalizedText).en === 'string';

/**
 * A flow's title and kind for the version lists: the title in force, else the newest stored
 * version's that has one (a draft may have none yet, or not load), else the flow id.
 */
export function flowTitle(flowId: string, inForce: LocalizedText | null, versions: readonly { definition: string }[]): { title: LocalizedText; kind: string } {
  const latest = versions
    .map((v) => parseStored(v.definition))
    .reverse()
    .find((d) => isLocalizedText(d?.title));
  const title = inForce ?? (latest?.title as LocalizedText | undefined) ?? { 'zh-CN': flowId, en: flowId };
  return { title, kind: typeof latest?.kind === 'string' ? latest.kind : 'business' };
}
