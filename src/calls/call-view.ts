import type { CallView } from '../../protocol/call-view';
import type { CustomerProfile } from '../backend/customer';
import type { FlowDefinition, Locale, LocalizedText } from '../flows/flow-definition';
import { fillPlaceholders } from '../flows/placeholders';
import { ruleResults } from '../flows/registry/rules';
import type { FlowResolver } from '../flows/flow-resolver';
import {
  atHub,
  availableOptions,
  CALL_LEVEL_LABELS,
  callLevelOptions,
  type CallProgress,
  FLOW_ID_INPUT,
  promptsFor,
  stepIdOf,
  stepMeta,
  stepOffers,
} from './step';

export type { CallView };

/** `businesses`: what the agent may move the call to, by title (for the call-level flowId input). */
export function renderView(
  progress: CallProgress,
  locale: Locale,
  flows: FlowResolver | null,
  businesses: readonly FlowDefinition[],
  titles: (flowId: string) => LocalizedText | null,
): CallView {
  const { record, snapshot, flow } = progress;
  const stepId = stepIdOf(snapshot);
  const meta = stepMeta(flow.definition, stepId);
  const context = snapshot.context as Record<string, unknown>;
  const t = (text: LocalizedText) => fillPlaceholders(text[locale], context, locale);
  const offers = stepOffers(progress, flows);
  const active = record.status === 'active';
  const hub = atHub(progress);
  const callLevel = callLevelOptions(progress);
  const flowOptions = active && !hub ? availableOptions(flow, snapshot, offers) : [];
  const takesFlowId = callLevel.some((o) => o !== 'finish-call');

  const view: CallView = {
    callId: record.id,
    seq: record.seq,
    status: record.status,
    flow: { id: flow.definition.id, version: flow.definition.version, title: flow.definition.title[locale], variant: flow.variant ?? null },
    businesses: [
      ...progress.segments.map((s) => ({
        flowId: s.flowId,
        version: s.version,
        title: titles(s.flowId)?.[locale] ?? s.flowId,
        status: s.status === 'done' ? ('done' as const) : ('active' as const),
        outcome: s.outcome,
      })),
      ...progress.needs.map((flowId) => ({
        flowId,
        version: null,
        title: titles(flowId)?.[locale] ?? flowId,
        status: 'queued' as const,
        outcome: null,
      })),
    ],
    betweenBusinesses: hub,
    step: {
      id: stepId,
      title: t(meta.title),
      lane: meta.lane,
      marks: meta.marks,
      script: t(meta.script),
      prompts: hub ? [] : promptsFor(meta, context).map((p) => ({ id: p.id, text: t(p.text) })),
      inputs: [
        ...(hub ? [] : (meta.inputs ?? [])).map((i) => ({
          name: i.name,
          type: i.type,
          label: t(i.label),
          required: i.required ?? false,
          ...(i.length !== undefined ? { length: i.length } : {}),
          ...(i.values ? { values: i.values.map((v) => ({ id: v.id, label: t(v.label) })) } : {}),
          ...(i.type === 'offer' ? { values: offers.map((o) => ({ id: o.id, label: t(o.title) })) } : {}),
        })),
        ...(takesFlowId
          ? [
              {
                name: FLOW_ID_INPUT.name,
                type: FLOW_ID_INPUT.type,
                label: FLOW_ID_INPUT.label[locale],
                required: true,
                values: businesses.map((b) => ({ id: b.id, label: b.title[locale] })),
              },
            ]
          : []),
      ],
      options: [
        ...flowOptions.map((o) => ({ id: o.id, label: t(o.label), inputs: o.inputs ?? [] })),
        ...callLevel.map((id) => ({ id, label: CALL_LEVEL_LABELS[id][locale], inputs: id === 'finish-call' ? [] : [FLOW_ID_INPUT.name] })),
      ],
    },
    customer: context.customer as CustomerProfile,
    ...(progress.callback ? { callback: progress.callback } : {}),
  };
  if (record.outcome) view.outcome = record.outcome;
  if (record.outcomeDetail) view.outcomeDetail = record.outcomeDetail;
  if (meta.customerSays && !hub) view.step.customerSays = t(meta.customerSays);
  if ((meta.offers || meta.offersFrom) && !hub)
    view.step.offers = offers.map((o) => ({ id: o.id, title: t(o.title), pitch: t(o.pitch), targetFlowId: o.targetFlowId }));
  if (meta.rules) {
    view.step.rules = meta.rules.map((name) => {
      const checks = ruleResults(flow.definition, name, context).map(({ check, passed }) => ({
        id: check.id,
        label: t(check.label),
        passed,
        ...(passed ? {} : { reason: t(check.failReason) }),
      }));
      return { id: name, title: t(flow.definition.rules![name].title), passed: checks.every((c) => c.passed), checks };
    });
  }
  if (meta.holding && active && !hub) view.step.holding = { text: t(meta.holding), since: record.updatedAt };
  return view;
}
