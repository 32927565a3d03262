import type { CustomerProfile } from '../backend/customer';
import type { CallStatus } from '../decision-log/call.entity';
import type { Lane, Locale, LocalizedText, Mark } from '../flows/flow-definition';
import type { CompiledFlow } from '../flows/flow-loader';
import { fillPlaceholders } from '../flows/placeholders';
import { ruleResults } from '../flows/registry/rules';
import type { CallProgress } from './call-progress';
import { availableOptions, offersFor, promptsFor, stepIdOf, stepMeta } from './step-model';

/** What the agent's screen shows for one step (docs/PROTOCOL.md, `call.view`). */
export interface CallView {
  callId: string;
  seq: number;
  status: CallStatus;
  outcome?: string;
  outcomeDetail?: Record<string, unknown>;
  flow: { id: string; version: number; title: string };
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

export function renderView(flow: CompiledFlow, progress: CallProgress, locale: Locale): CallView {
  const { record, snapshot } = progress;
  const stepId = stepIdOf(snapshot);
  const meta = stepMeta(flow.definition, stepId);
  const context = snapshot.context as Record<string, unknown>;
  const t = (text: LocalizedText) => fillPlaceholders(text[locale], context, locale);
  const offers = offersFor(meta, context);
  const active = record.status === 'active';

  const view: CallView = {
    callId: record.id,
    seq: record.seq,
    status: record.status,
    flow: { id: flow.definition.id, version: flow.definition.version, title: flow.definition.title[locale] },
    step: {
      id: stepId,
      title: t(meta.title),
      lane: meta.lane,
      marks: meta.marks,
      script: t(meta.script),
      prompts: promptsFor(meta, context).map((p) => ({ id: p.id, text: t(p.text) })),
      inputs: (meta.inputs ?? []).map((i) => ({
        name: i.name, type: i.type, label: t(i.label), required: i.required ?? false,
        ...(i.length !== undefined ? { length: i.length } : {}),
        ...(i.values ? { values: i.values.map((v) => ({ id: v.id, label: t(v.label) })) } : {}),
        ...(i.type === 'offer' ? { values: offers.map((o) => ({ id: o.id, label: t(o.title) })) } : {}),
      })),
      options: active ? availableOptions(flow, snapshot).map((o) => ({ id: o.id, label: t(o.label), inputs: o.inputs ?? [] })) : [],
    },
    customer: context.customer as CustomerProfile,
  };
  if (record.outcome) view.outcome = record.outcome;
  if (record.outcomeDetail) view.outcomeDetail = record.outcomeDetail;
  if (meta.customerSays) view.step.customerSays = t(meta.customerSays);
  if (meta.offers) view.step.offers = offers.map((o) => ({ id: o.id, title: t(o.title), pitch: t(o.pitch), targetFlowId: o.targetFlowId }));
  if (meta.rules) {
    view.step.rules = meta.rules.map((name) => {
      const checks = ruleResults(flow.definition, name, context).map(({ check, passed }) => ({
        id: check.id, label: t(check.label), passed, ...(passed ? {} : { reason: t(check.failReason) }),
      }));
      return { id: name, title: t(flow.definition.rules![name].title), passed: checks.every((c) => c.passed), checks };
    });
  }
  if (meta.holding && active) view.step.holding = { text: t(meta.holding), since: record.updatedAt };
  return view;
}
