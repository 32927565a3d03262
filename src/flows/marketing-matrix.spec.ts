import type { CustomerProfile } from '../backend/customer';
import { advance, beginCall, type CallInput, type CallProgress, stepOffers } from '../calls';
import { fileFlows, MATRIX_FILE } from '../simulation/file-flows';
import { FlowLoadError } from './flow-loader';
import { loadMatrixFile, matrixOffers, parseMatrix } from './marketing-matrix';

const { matrix } = loadMatrixFile(MATRIX_FILE);
const customer = (over: Partial<CustomerProfile> = {}): CustomerProfile => ({
  msisdn: '13800000001', name: '张伟', brand: 'gotone', tier: 'gold', region: '北京', status: 'active',
  arrearsYuan: 0, realNameVerified: true, services: [], plan: { id: 'basic-58', name: 'Basic 58', monthlyYuan: 58 },
  points: 0, bills: [], handsetMode: '4G', openedWithIdCard: true, ...over,
});
const ids = (offers: { id: string }[]) => offers.map((o) => o.id);

describe('related-marketing matrix', () => {
  it('relates offers to a business step and reason, eligible customers only, best fit first', () => {
    const travel = (c: CustomerProfile) => ids(matrixOffers(matrix, 'suspend-service', 'upsell', { customer: c, reason: 'travel' }));
    // A gold GoTone customer fits two-cities-one-home best (tier + brand).
    expect(travel(customer())[0]).toBe('two-cities-one-home');
    // A standard M-Zone customer fits the holiday plan best; the same offers, another order.
    const mzone = travel(customer({ brand: 'mzone', tier: 'standard' }));
    expect(mzone[0]).toBe('holiday-plan');
    expect([...mzone].sort()).toEqual([...travel(customer())].sort());
    // Another reason, other offers; a reason the matrix does not relate, none.
    expect(ids(matrixOffers(matrix, 'suspend-service', 'upsell', { customer: customer(), reason: 'lost-phone' }))).toEqual(['online-phone-purchase', 'replacement-sim']);
    expect(matrixOffers(matrix, 'suspend-service', 'upsell', { customer: customer(), reason: 'other' })).toEqual([]);
    // Eligibility: a line that is not active gets no product that needs an active line.
    expect(travel(customer({ status: 'suspended' }))).not.toContain('two-cities-one-home');
  });

  it('holds every business\'s marketing points: retention offers by the service being unsubscribed, ranked by tier', () => {
    const retention = (chosenService: string, tier: CustomerProfile['tier']) =>
      ids(matrixOffers(matrix, 'vas-unsubscribe', 'retention', { customer: customer({ tier }), chosenService }));
    expect(retention('music-vip', 'diamond')).toEqual(['vip-benefit-bundle', 'music-vip-half-price']);
    expect(retention('music-vip', 'standard')).toEqual(['music-vip-half-price']);
    expect(retention('ringback-tone', 'standard')).toEqual(['ringback-free-month']);
    // Roaming advice by destination.
    expect(ids(matrixOffers(matrix, 'intl-roaming', 'travel-advice', { customer: customer({ brand: 'easyown', tier: 'standard' }), destination: 'asia' }))).toEqual(['asia-day-pack']);
  });

  it('refuses a point naming an unknown offer, with the JSON path', () => {
    const bad = structuredClone(matrix);
    bad.points[0].offers.push('free-iphone');
    expect(() => parseMatrix(bad, 'bad.json')).toThrow(FlowLoadError);
    expect(() => parseMatrix(bad, 'bad.json')).toThrow(/\$\.points\[0\]\.offers.*unknown offer 'free-iphone'/s);
    expect(() => parseMatrix({ ...matrix, suppress: { afterFlows: [] } }, 'bad.json')).toThrow(/\$\.suppress/);
  });
});

describe('frequency rules, applied to the call', () => {
  const flows = fileFlows(['enter-service', 'complaint', 'suspend-service', 'bill-inquiry', 'hang-up']);
  let clock = Date.parse('2026-11-23T08:00:00Z');
  const at = () => new Date((clock += 1000)).toISOString();
  const start = () => beginCall(flows.get('enter-service'), { callId: 'm1', agentId: 'a1', callerNumber: '13800000001', customer: customer(), at: at() }).progress;
  const step = (p: CallProgress, input: Omit<CallInput, 'at'>) => advance(p, { ...input, at: at() } as CallInput, flows).progress;
  const decide = (p: CallProgress, option: string, input?: Record<string, unknown>) => step(p, { type: 'decision', payload: input ? { option, input } : { option } });
  const reply = (p: CallProgress, output: unknown) => {
    const op = p.effects.find((e) => e.kind === 'operation')!;
    if (op.kind !== 'operation') throw new Error('no operation');
    return step(p, { type: 'backend.reply', payload: { operation: op.src, invokeId: op.invokeId, ok: true, output } });
  };
  const toHub = () => decide(decide(reply(start(), { plan: {} }), 'greeted'), 'identified', { need: 'bill' });
  const toUpsell = (p: CallProgress) => decide(decide(decide(decide(p, 'another-business', { flowId: 'suspend-service' }), 'continue'), 'continue', { reason: 'travel' }), 'acknowledged');

  it('pitches at the upsell in a call without a complaint', () => {
    const upsell = toUpsell(toHub());
    expect(upsell.record.state).toBe('upsell');
    expect(ids(stepOffers(upsell, flows))[0]).toBe('two-cities-one-home');
  });

  it('never pitches after a complaint was raised in the same call', () => {
    let p = decide(toHub(), 'another-business', { flowId: 'complaint' });
    p = decide(p, 'classify', { category: 'billing', summary: '扣费不明' });
    p = decide(decide(p, 'solved-here', { resolution: '已解释' }), 'satisfied');
    expect(p.segments.map((s) => `${s.flowId}:${s.status}`)).toContain('complaint:done');
    const upsell = toUpsell(p);
    expect(upsell.record.state).toBe('upsell');
    expect(stepOffers(upsell, flows)).toEqual([]);
  });

  it('pitches a marketing point at most once per call: back at the same point, no offers', () => {
    let p = decide(toHub(), 'another-business', { flowId: 'bill-inquiry' });
    p = decide(reply(p, { bills: customer().bills, latest: { month: '2026-10', totalYuan: 200, items: [] } }), 'explained');
    expect(p.record.state).toBe('next-need');
    expect(ids(stepOffers(p, flows))).toContain('better-plan');
    p = decide(decide(p, 'customise'), 'back');
    expect(p.record.state).toBe('next-need');
    expect(stepOffers(p, flows)).toEqual([]);
  });
});
