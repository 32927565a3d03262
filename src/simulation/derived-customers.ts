import type { BackendBehaviour } from '../backend/customer';
import type { BackendSetting, CustomerFixture, SimulatedOperation } from '../backend/simulator/customer-fixtures';
import type { InvokeJson } from '../flows/flow-definition';
import type { FlowAnalysis } from './flow-analysis';
import type { PathStep } from './path-model';

const CHECKS: Record<string, SimulatedOperation> = {
  checkIvrPassword: 'ivr-check',
  checkIdDocument: 'id-check',
  checkEntryMonth: 'entry-month-check',
  queryAccount: 'query',
  executeSuspension: 'suspend',
  sendConfirmationSms: 'sms',
};

/** The simulator operation a back-end step asks for: `provision` by its action, the others by name. */
export function simulatedOperationOf(invoke: Pick<InvokeJson, 'src' | 'input'>): SimulatedOperation | null {
  if (invoke.src === 'provision') return (invoke.input?.action as SimulatedOperation | undefined) ?? null;
  return CHECKS[invoke.src] ?? null;
}

export interface DerivedCustomer {
  fixture: CustomerFixture;
  /** The demo customer whose record it copies. */
  basedOn: string;
}

/**
 * A simulator customer for a path no demo customer reaches: the record of a demo customer whose
 * profile the machine lets take the path, with a back end scripted per operation from the answers
 * the path needs, in order (an error reply, no answer until the step's timer, or an answer; then
 * answers again), and
 * the IVR password set to pass or fail as the path's check needs. Returns null when the path
 * needs what one record cannot give (the same password check passing and failing in one call).
 */
export function deriveCustomer(analysis: FlowAnalysis, steps: PathStep[], base: CustomerFixture, msisdn: string): DerivedCustomer | null {
  const script = new Map<SimulatedOperation, BackendBehaviour[]>();
  const ivrAnswers = new Set<boolean>();
  const push = (op: SimulatedOperation | null, behaviour: BackendBehaviour) => {
    if (op) script.set(op, [...(script.get(op) ?? []), behaviour]);
  };
  for (const step of steps) {
    const label = step.label;
    const invokes = analysis.invokes.get(step.state) ?? [];
    if (label.kind === 'decision') continue;
    if (label.kind === 'timeout') {
      for (const inv of invokes) push(simulatedOperationOf(inv), 'timeout');
      continue;
    }
    const inv = invokes.find((i) => i.id === label.invokeId);
    if (!inv) continue;
    const op = simulatedOperationOf(inv);
    push(op, label.kind === 'error' ? 'error' : 'ok');
    const ok = label.kind === 'done' ? (label.output as { ok?: unknown } | null)?.ok : undefined;
    if (op === 'ivr-check' && typeof ok === 'boolean') ivrAnswers.add(ok);
  }
  if (ivrAnswers.size > 1) return null;
  const backend: BackendSetting = { '*': 'ok' };
  for (const [op, scripted] of script) {
    // After the path's own answers the back end works again, so a loop path can go on to an ending.
    const behaviours = scripted.at(-1) === 'ok' ? scripted : [...scripted, 'ok' as const];
    backend[op] = behaviours.length === 1 ? behaviours[0] : behaviours;
  }
  const ivrPassword = ivrAnswers.size ? ([...ivrAnswers][0] ? 'pass' : 'fail') : base.ivrPassword;
  return { basedOn: base.msisdn, fixture: { ...structuredClone(base), msisdn, name: `${base.name} (derived)`, backend, ivrPassword } };
}
