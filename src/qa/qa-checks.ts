import type { CallCheckResult, CallFinding } from '../../protocol/qa';
import { describeSelector, matchesSelector } from '../flows/step-selector';
import type { CallTrace, TraceEntry } from '../calls';
import type { CallCheck, CallCheckSet, OffersCheck, OrderCheck, PromptsConfirmedCheck, StepSelector, VisitsCheck } from './call-checks';

export { loadCallChecks, parseCallChecks } from './call-checks';
export type { CallCheck, CallCheckSet, StepSelector } from './call-checks';

/** Results are part of the replay reply (`checks`): their types are in protocol/qa.d.ts. */
export type { CallCheckResult, CallFinding };

/** What the checks read of a call: its trace (carried as it ran, or a timeline reduced to it, qa/timeline.ts). */
export type CheckedCall = Pick<CallTrace, 'status' | 'mode' | 'entries'>;

/**
 * Compliance checks on one call, from its trace (what the agent was shown and what they did about
 * it, view by view). The server records rather than trusts (a crafted client can skip the
 * prompts), so completeness is judged here, after the fact.
 */
export function runCallChecks(timeline: CheckedCall, checks: CallCheckSet | CallCheck[]): CallCheckResult[] {
  return (Array.isArray(checks) ? checks : checks.checks).map((check) => {
    const inScope = timeline.entries.filter((e) => !check.appliesTo?.flows || check.appliesTo.flows.includes(e.flowId));
    const { applicable, findings } = run(check, inScope, timeline);
    return { id: check.id, title: check.title, passed: findings.length === 0, applicable, findings };
  });
}

/** Stored as a failed pseudo-check when a call's log does not re-execute, so the call is found (and not retried forever). */
export function notReplayable(message: string): CallCheckResult {
  return {
    id: 'replayable',
    title: { 'zh-CN': '可重放', en: 'Replayable' },
    applicable: true,
    passed: false,
    findings: [{ seq: 0, stepId: '', message }],
  };
}

type Outcome = { applicable: boolean; findings: CallFinding[] };

function run(check: CallCheck, entries: TraceEntry[], timeline: CheckedCall): Outcome {
  switch (check.kind) {
    case 'promptsConfirmed':
      return promptsConfirmed(check, entries);
    case 'order':
      return order(check, entries);
    case 'offersAtEligiblePoints':
      return offers(check, entries);
    case 'visits':
      return visits(check, entries, timeline);
  }
}

export function matchesStep(entry: TraceEntry, selector: StepSelector): boolean {
  const state = {
    id: entry.stepId,
    final: entry.final,
    lane: entry.lane,
    marks: entry.marks,
    effects: entry.effects,
    options: [],
    next: [],
    hasWayOut: true,
  };
  return matchesSelector(state, selector) && (selector.flowKind === undefined || selector.flowKind === entry.flowKind);
}

/** The agent left the step by a decision: only then did they pass it (a hang-up or a timer did not). */
const passedByDecision = (e: TraceEntry) => e.action?.type === 'decision' && e.action.leftStep;

function promptsConfirmed(check: PromptsConfirmedCheck, entries: TraceEntry[]): Outcome {
  // The last view of a visit is the one the leaving decision answered, so its prompts are the ones to confirm.
  const passed = entries.filter((e) => e.prompts.length > 0 && (!check.states || matchesStep(e, check.states)) && passedByDecision(e));
  const findings = passed.flatMap((e): CallFinding[] => {
    const confirmed = new Set(e.action!.confirmedPrompts ?? []);
    const missing = e.prompts.filter((id) => !confirmed.has(id));
    if (!missing.length) return [];
    const sent = e.action!.confirmedPrompts ? '' : ' (no confirmedPrompts sent)';
    return [
      {
        seq: e.action!.seq,
        stepId: e.stepId,
        message: `left '${e.stepId}' by '${e.action!.option}' without confirming ${missing.join(', ')}${sent}`,
      },
    ];
  });
  return { applicable: passed.length > 0, findings };
}

function order(check: OrderCheck, entries: TraceEntry[]): Outcome {
  const findings: CallFinding[] = [];
  let applicable = false;
  for (const segment of new Set(entries.map((e) => e.segment))) {
    let firstSeen = false;
    for (const e of entries.filter((x) => x.segment === segment)) {
      // A step matching both counts as `first` (like the authoring precededBy policy).
      firstSeen ||= matchesStep(e, check.first);
      if (!matchesStep(e, check.then)) continue;
      applicable = true;
      if (!firstSeen) {
        findings.push({
          seq: e.seq,
          stepId: e.stepId,
          message: `reached '${e.stepId}' in ${e.flowId} before ${describeSelector(check.first)}`,
        });
        break;
      }
    }
  }
  return { applicable, findings };
}

function offers(check: OffersCheck, entries: TraceEntry[]): Outcome {
  const shown = (e: TraceEntry) => e.offers.length > 0;
  const isPoint = (e: TraceEntry) => (check.states ? matchesStep(e, check.states) : shown(e));
  const findings: CallFinding[] = [];
  for (const e of entries.filter((x) => isPoint(x) && shown(x) && passedByDecision(x))) {
    const option = e.action!.option!;
    if (e.offerOptions.includes(option) || check.declineOptions.includes(option)) continue;
    const ids = e.offers.join(', ');
    findings.push({
      seq: e.action!.seq,
      stepId: e.stepId,
      message: `left marketing point '${e.stepId}' by '${option}' without answering the offers shown (${ids})`,
    });
  }
  const afterFlows = check.frequency?.afterFlows ?? [];
  // One pitch = one visit of the point (views of the same visit, e.g. after add-need, are not a second pitch).
  const pitched = new Map<string, number>();
  const visitsSeen = new Set<number>();
  for (const e of entries.filter(shown)) {
    if (visitsSeen.has(e.enteredSeq)) continue;
    visitsSeen.add(e.enteredSeq);
    const after = (e.segmentFlows ?? []).find((flowId) => afterFlows.includes(flowId));
    if (after) findings.push({ seq: e.seq, stepId: e.stepId, message: `offers shown at '${e.stepId}' in a call that went through ${after}` });
    const point = `${e.flowId}/${e.stepId}`;
    const first = pitched.get(point);
    if (first === undefined) pitched.set(point, e.seq);
    else if (check.frequency?.onePitchPerPoint)
      findings.push({ seq: e.seq, stepId: e.stepId, message: `marketing point ${point} pitched again (first at view ${first})` });
  }
  findings.sort((a, b) => a.seq - b.seq);
  return { applicable: entries.some((e) => isPoint(e) || shown(e)), findings };
}

function visits(check: VisitsCheck, entries: TraceEntry[], timeline: CheckedCall): Outcome {
  const { status, mode } = check.when ?? {};
  const applicable =
    (!status || status.includes(timeline.status)) &&
    (!mode || (timeline.mode !== null && mode.includes(timeline.mode))) &&
    (!check.appliesTo?.flows || entries.length > 0);
  if (!applicable || entries.some((e) => matchesStep(e, check.state))) return { applicable, findings: [] };
  const last = timeline.entries.at(-1);
  const where = `${describeSelector(check.state)}${check.state.flowKind ? ` of a ${check.state.flowKind} flow` : ''}`;
  return {
    applicable,
    findings: [{ seq: last?.seq ?? 0, stepId: last?.stepId ?? '', message: `the call ended (${timeline.status}) without reaching ${where}` }],
  };
}
