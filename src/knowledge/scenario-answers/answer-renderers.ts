import type { QuickAnswerFacts } from '../../../protocol/knowledge';

/**
 * The named renderers a scenario answer may use (flows/knowledge/scenario-answers.json): each turns a
 * back-end query's reply into the facts the agent reads out. Pure, so the answer logged with a call
 * is exactly what its recorded reply gives.
 */
type Reply = Record<string, unknown>;
const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const round2 = (x: number) => Math.round(x * 100) / 100;

interface Bill {
  month: string;
  totalYuan: number;
  items: { name: unknown; yuan: number }[];
}
const billsOf = (reply: Reply): Bill[] => (Array.isArray(reply.bills) ? (reply.bills as Bill[]) : []);
const nameKey = (name: unknown) => JSON.stringify(name);

interface DataPack {
  name: unknown;
  allowanceMb: unknown;
  usedMb: unknown;
  remainingMb: unknown;
}
const isPack = (p: DataPack) => num(p.allowanceMb) !== null && num(p.usedMb) !== null && num(p.remainingMb) !== null;

export const ANSWER_RENDERERS: Record<string, (reply: Reply) => QuickAnswerFacts | null> = {
  /** The newest bill against the one before: the items that rose (or are new), largest rise first. */
  'bill-rise': (reply) => {
    const [latest, previous] = billsOf(reply);
    if (!latest) return null;
    const before = new Map((previous?.items ?? []).map((i) => [nameKey(i.name), i.yuan]));
    const rises = latest.items
      .map((i) => ({ name: i.name as never, yuan: i.yuan, previousYuan: before.get(nameKey(i.name)) ?? 0 }))
      .filter((i) => i.yuan > i.previousYuan)
      .sort((a, b) => b.yuan - b.previousYuan - (a.yuan - a.previousYuan))
      .map((i) => ({ ...i, riseYuan: round2(i.yuan - i.previousYuan) }));
    return {
      kind: 'bill-rise',
      month: latest.month,
      totalYuan: latest.totalYuan,
      previousMonth: previous?.month ?? null,
      previousTotalYuan: previous?.totalYuan ?? null,
      rises,
    };
  },
  'services-list': (reply) => (Array.isArray(reply.services) ? { kind: 'services-list', services: (reply.services as unknown[]).map(String) } : null),
  'plan-summary': (reply) => {
    const plan = reply.plan as { name?: unknown; monthlyYuan?: unknown } | undefined;
    const monthlyYuan = num(plan?.monthlyYuan);
    return plan && monthlyYuan !== null ? { kind: 'plan-summary', name: plan.name as never, monthlyYuan } : null;
  },
  'points-balance': (reply) => (num(reply.points) === null ? null : { kind: 'points-balance', points: num(reply.points)! }),
  balance: (reply) =>
    num(reply.balanceYuan) === null ? null : { kind: 'balance', balanceYuan: num(reply.balanceYuan)!, arrearsYuan: num(reply.arrearsYuan) ?? 0 },
  /** Data left this month over every allowance, and each allowance (packs with something left first). */
  'data-remaining': (reply) => {
    const packs = Array.isArray(reply.packs) ? (reply.packs as DataPack[]) : null;
    const totals = [reply.remainingMb, reply.allowanceMb, reply.usedMb].map(num);
    if (!packs || !packs.every(isPack) || totals.includes(null)) return null;
    const [remainingMb, allowanceMb, usedMb] = totals as number[];
    return {
      kind: 'data-remaining',
      remainingMb,
      allowanceMb,
      usedMb,
      overMb: num(reply.overMb) ?? 0,
      packs: packs
        .map((p) => ({ name: p.name as never, allowanceMb: p.allowanceMb as number, usedMb: p.usedMb as number, remainingMb: p.remainingMb as number }))
        .sort((a, b) => b.remainingMb - a.remainingMb),
    };
  },
};
