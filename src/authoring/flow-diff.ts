import type { FlowDefinition, LocalizedText } from '../flows/flow-definition';
import { mainPath } from '../flows/main-path';
import { idList, lt, stepName } from './diff/format';
import { graphOf, invert, movedSteps, through, type Graph } from './diff/graph';
import { flowChanges } from './diff/flow-changes';
import { stepChanges } from './diff/step-changes';
import { flowTextChanges } from './diff/text-changes';
import type { Change, FlowDiff } from './diff/types';
import { variantChanges } from './diff/variants';

export type { Change, ChangeKind, FlowDiff } from './diff/types';

const sorted = (s: Set<string> | undefined, order: string[]) => order.filter((id) => s?.has(id));

/**
 * What changed between two versions of a flow, in business terms for supervisors: steps added, removed
 * or moved (their neighbours changed), lanes, marks, texts per locale, options, offers, rules, endings,
 * back-end operations, flow texts and regional variants — each with a one-line sentence in zh-CN and en.
 * Changes are listed flow-level first, then step by step in the new version's order (removed steps last),
 * then regional variants.
 */
export function diffFlows(before: FlowDefinition, after: FlowDefinition): FlowDiff {
  const sb = before.machine.states;
  const sa = after.machine.states;
  const orderA = Object.keys(sa);
  const orderB = Object.keys(sb);
  const common = orderA.filter((id) => id in sb);
  const added = orderA.filter((id) => !(id in sb));
  const removed = orderB.filter((id) => !(id in sa));
  const titleOf = (id: string): LocalizedText | undefined => sa[id]?.meta.title ?? sb[id]?.meta.title;

  const gb = graphOf(before);
  const ga = graphOf(after);
  const moved = new Set(movedSteps(gb, ga, common));
  const structural = new Set([...added, ...removed, ...moved]);
  const keep = new Set(common);
  const nb = through(gb, keep);
  const na = through(ga, keep);
  const pb = invert(nb);
  const pa = invert(na);
  const pathB = mainPath(before);
  const pathA = mainPath(after);
  const order = [...orderA, ...removed];

  const changes: Change[] = [...flowTextChanges(before, after), ...flowChanges(before, after, titleOf)];
  for (const id of order) {
    const name = stepName(id, titleOf(id));
    if (!(id in sb)) changes.push(addedOrRemoved('step-added', id, name, ga, orderA, titleOf));
    else if (!(id in sa)) changes.push(addedOrRemoved('step-removed', id, name, gb, orderB, titleOf));
    else {
      if (moved.has(id)) {
        const neighbours = {
          before: { after: sorted(pb.get(id), orderB), before: sorted(nb.get(id), orderB), mainPathPosition: pos(pathB, id) },
          after: { after: sorted(pa.get(id), orderA), before: sorted(na.get(id), orderA), mainPathPosition: pos(pathA, id) },
        };
        changes.push({
          kind: 'step-moved',
          stepId: id,
          field: 'position',
          ...neighbours,
          text: movedText(name, neighbours.before, neighbours.after, titleOf),
        });
      }
      changes.push(...stepChanges(id, sb[id], sa[id], { structural, titleOf }));
    }
  }
  changes.push(...variantChanges(before, after, titleOf));

  const count = (k: Change['kind']) => changes.filter((c) => c.kind === k).length;
  return {
    from: { id: before.id, version: before.version },
    to: { id: after.id, version: after.version },
    changes,
    summary: {
      added: count('step-added'),
      removed: count('step-removed'),
      moved: count('step-moved'),
      changed: changes.length - count('step-added') - count('step-removed') - count('step-moved'),
    },
  };
}

/** 1-based place on the main path, if the step is on it. */
const pos = (path: string[], id: string): number | undefined => (path.includes(id) ? path.indexOf(id) + 1 : undefined);

function addedOrRemoved(
  kind: 'step-added' | 'step-removed',
  id: string,
  name: LocalizedText,
  g: Graph,
  order: string[],
  titleOf: (id: string) => LocalizedText | undefined,
): Change {
  const preds = sorted(invert(g).get(id), order);
  const succs = sorted(g.get(id), order);
  const where = [
    preds.length ? lt(`after ${idList(preds, titleOf).en}`, `在${idList(preds, titleOf)['zh-CN']}之后`) : undefined,
    succs.length ? lt(`before ${idList(succs, titleOf).en}`, `在${idList(succs, titleOf)['zh-CN']}之前`) : undefined,
  ].filter((x): x is LocalizedText => !!x);
  const en = where.map((w) => w.en).join(', ');
  const zh = where.map((w) => w['zh-CN']).join('，');
  const neighbours = { after: preds, before: succs };
  return kind === 'step-added'
    ? {
        kind,
        stepId: id,
        after: neighbours,
        text: lt(`Step ${name.en} added${en ? ` ${en}` : ''}`, `新增步骤${name['zh-CN']}${zh ? `（${zh}）` : ''}`),
      }
    : {
        kind,
        stepId: id,
        before: neighbours,
        text: lt(`Step ${name.en} removed${en ? ` (was ${en})` : ''}`, `删除步骤${name['zh-CN']}${zh ? `（原${zh}）` : ''}`),
      };
}

interface Place {
  after: string[];
  before: string[];
  mainPathPosition?: number;
}

function movedText(name: LocalizedText, b: Place, a: Place, titleOf: (id: string) => LocalizedText | undefined): LocalizedText {
  const list = (ids: string[]) => idList(ids, titleOf);
  const parts: LocalizedText[] = [];
  if (b.after.join() !== a.after.join())
    parts.push(lt(`now after ${list(a.after).en} (was after ${list(b.after).en})`, `现在${list(a.after)['zh-CN']}之后（原在${list(b.after)['zh-CN']}之后）`));
  if (b.before.join() !== a.before.join())
    parts.push(
      lt(`now before ${list(a.before).en} (was before ${list(b.before).en})`, `现在${list(a.before)['zh-CN']}之前（原在${list(b.before)['zh-CN']}之前）`),
    );
  const pb = b.mainPathPosition;
  const pa = a.mainPathPosition;
  if (pb !== undefined && pa !== undefined && pb !== pa) parts.push(lt(`main path position ${pa} (was ${pb})`, `主路径第${pa}步（原第${pb}步）`));
  else if (pb !== undefined && pa === undefined) parts.push(lt(`no longer on the main path (was position ${pb})`, `不再在主路径上（原第${pb}步）`));
  else if (pb === undefined && pa !== undefined) parts.push(lt(`now on the main path at position ${pa}`, `现在主路径第${pa}步`));
  return lt(`Step ${name.en} moved: ${parts.map((p) => p.en).join('; ')}`, `步骤${name['zh-CN']}位置调整：${parts.map((p) => p['zh-CN']).join('；')}`);
}
