import { LOCALES, type FlowDefinition, type LocalizedText, type PromptDefinition, type StepMeta } from '../../flows/flow-definition';
import { byId, lt, quote, same } from './format';
import type { Change } from './types';

/** A change found inside a step before it is given its kind and step: field, locale, values and the sentence. */
export type Finding = Omit<Change, 'kind' | 'stepId' | 'text' | 'region'> & { sentence: LocalizedText };

/**
 * A localized text compared per locale: added / removed as a whole (no locale), otherwise one finding
 * per locale that changed. `what` names the text in the sentence ("script", "prompt 'x'").
 */
export function compareText(field: string, what: LocalizedText, before?: LocalizedText, after?: LocalizedText): Finding[] {
  if (before === undefined && after === undefined) return [];
  if (before === undefined)
    return [{ field, before, after, sentence: lt(`${what.en} added: ${quote(after!.en)}`, `新增${what['zh-CN']}：${quote(after!['zh-CN'])}`) }];
  if (after === undefined)
    return [{ field, before, after, sentence: lt(`${what.en} removed (was ${quote(before.en)})`, `删除${what['zh-CN']}（原为${quote(before['zh-CN'])}）`) }];
  return LOCALES.filter((l) => before[l] !== after[l]).map((locale) => ({
    field,
    locale,
    before: before[locale],
    after: after[locale],
    sentence: lt(
      `${what.en} (${locale}) changed to ${quote(after[locale])} (was ${quote(before[locale])})`,
      `${what['zh-CN']}（${locale}）改为${quote(after[locale])}（原为${quote(before[locale])}）`,
    ),
  }));
}

/** Prompts by id: added, removed, text changed per locale, condition (`when`) changed. */
export function comparePrompts(before?: PromptDefinition[], after?: PromptDefinition[], prefix = 'prompt'): Finding[] {
  return byId(before, after, (p) => p.id).flatMap(([id, b, a]) => {
    const field = `${prefix}:${id}`;
    const what = lt(`prompt '${id}'`, `提示「${id}」`);
    const out = compareText(field, what, b?.text, a?.text);
    if (b && a && !same(b.when, a.when))
      out.push({
        field: `${field}.when`,
        before: b.when,
        after: a.when,
        sentence: lt(`prompt '${id}': when it is shown changed`, `提示「${id}」：显示条件已修改`),
      });
    return out;
  });
}

/** Title, script, customer line, holding phrase and prompts of a step. */
export function stepTextFindings(b: StepMeta, a: StepMeta): Finding[] {
  return [
    ...compareText('title', lt('title', '标题'), b.title, a.title),
    ...compareText('script', lt('script', '话术'), b.script, a.script),
    ...compareText('customerSays', lt('customer line', '客户说法'), b.customerSays, a.customerSays),
    ...compareText('holding', lt('holding phrase', '等待安抚语'), b.holding, a.holding),
    ...comparePrompts(b.prompts, a.prompts),
  ];
}

/** Flow title, keywords and scenarios. */
export function flowTextChanges(before: FlowDefinition, after: FlowDefinition): Change[] {
  const out: Change[] = compareText('title', lt('title', '名称'), before.title, after.title).map(({ sentence, ...f }) => ({
    kind: 'flow-text-changed' as const,
    ...f,
    text: lt(`Flow ${sentence.en}`, `业务${sentence['zh-CN']}`),
  }));
  const kb = before.keywords ?? [];
  const ka = after.keywords ?? [];
  const added = ka.filter((k) => !kb.includes(k));
  const removed = kb.filter((k) => !ka.includes(k));
  if (added.length || removed.length) {
    const en = [
      added.length ? `added ${added.map((k) => `"${k}"`).join(', ')}` : '',
      removed.length ? `removed ${removed.map((k) => `"${k}"`).join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    const zh = [added.length ? `新增${added.map((k) => `「${k}」`).join('、')}` : '', removed.length ? `删除${removed.map((k) => `「${k}」`).join('、')}` : '']
      .filter(Boolean)
      .join('；');
    out.push({ kind: 'flow-text-changed', field: 'keywords', before: kb, after: ka, text: lt(`Flow search keywords: ${en}`, `业务搜索关键词：${zh}`) });
  }
  const sb = before.scenarios ?? [];
  const sa = after.scenarios ?? [];
  for (let i = 0; i < Math.max(sb.length, sa.length); i++) {
    for (const { sentence, ...f } of compareText(`scenario:${i + 1}`, lt(`scenario ${i + 1}`, `场景${i + 1}`), sb[i], sa[i]))
      out.push({ kind: 'flow-text-changed', ...f, text: lt(`Flow ${sentence.en}`, `业务${sentence['zh-CN']}`) });
  }
  return out;
}
