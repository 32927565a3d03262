import { callTrace, type CallTrace } from '../calls';
import { customer, hangUp, ScriptedCall, suspendFinish, suspendToUpsell, toHub } from './scripted-call';

/** A few real ended calls (the step code's own traces), as distinct calls of two callers a day apart. */
export function endedCallTraces(count = 12): CallTrace[] {
  const scripted = [
    () => hangUp(suspendFinish(suspendToUpsell(toHub()))),
    () => suspendFinish(suspendToUpsell(new ScriptedCall('suspend-service'), true)),
    () => suspendToUpsell(new ScriptedCall('suspend-service', customer({ region: '上海', tier: 'diamond' })), true).hangup(),
    () => toHub().hangup(),
  ];
  return Array.from({ length: count }, (_, i) => {
    const trace = callTrace(scripted[i % scripted.length]().progress);
    // Each call i hours and (i / 4) days after the scripted clock, so calls and their businesses start at distinct times.
    const shift = (at: string) => new Date(Date.parse(at) + Math.floor(i / 4) * 86_400_000 + i * 3_600_000).toISOString();
    return {
      ...trace,
      callId: `call-${i}`,
      callerNumber: i % 2 ? '13800000001' : '13800000002',
      startedAt: shift(trace.startedAt),
      entries: trace.entries.map((e) => ({ ...e, enteredAt: shift(e.enteredAt), action: e.action && { ...e.action, at: shift(e.action.at) } })),
    };
  });
}
