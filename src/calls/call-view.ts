import type { CustomerProfile } from '../backend/customer';
import type { CallStatus } from '../decision-log/call.entity';
import type { FlowDefinition, Lane, Locale, LocalizedText, Mark } from '../flows/flow-definition';
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

/** What the agent's screen shows for one step (docs/PROTOCOL.md, `call.view`). */
export interface CallView {
  callId: string;
  seq: number;
  status: CallStatus;
  outcome?: string;
  outcomeDetail?: Record<string, unknown>;
  /** `variant`: the region whose variant of the flow this customer sees (null: the base). */
  flow: { id: string; version: number; title: string; variant: string | null };
  /** Every business of the call: done, the active one, and needs queued after it. */
  businesses: { flowId: string; version: number | null; title: string; status: 'done' | 'active' | 'queued'; outcome: string | null }[];
  /** True between businesses: the step shown is the last one's ending, the options are the hotline's. */
  betweenBusinesses: boolean;
  step: {
    id: string;
    title: string;
    lane: Lane;
    marks: Mark[];
    script: string;
    customerSays?: string;
    prompts: { id: string; text: string }[];
    inputs: { name: string; type: string; label: string; required: boolean; length?: number; values?: { id: string; label: string }[] }[];
    options: { id: string; label: string; inputs: string[] }[];
    offers?: { id: string; title: string; pitch: string; targetFlowId: string }[];
    rules?: { id: string; title: string; passed: boolean; checks: { id: string; label: string; passed: boolean; reason?: string }[] }[];
    holding?: { text: string; since: string };
  };
  customer: CustomerProfile;
}

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
      ...progress.needs.map((flowId) => ({ flowId, version: null, title: titles(flowId)?.[locale] ?? flowId, status: 'queued' as const, outcome: null })),
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
