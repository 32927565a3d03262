import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BackendError } from '../backend.port';
import { behaviourFor, type CustomerFixture, loadCustomerFixtures } from './customer-fixtures';
import { MAX_REMEMBERED_KEYS, SimulatorBackend } from './simulator-backend';

const DEMO = path.join(__dirname, 'demo-customers.json');

function fixturesWith(backend: unknown, extra: Partial<CustomerFixture> = {}): CustomerFixture[] {
  const base = loadCustomerFixtures(DEMO).find((c) => c.msisdn === '13800000001')!;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sim-')), 'customers.json');
  fs.writeFileSync(file, JSON.stringify([{ ...base, msisdn: '19900000001', backend, ...extra }]));
  return loadCustomerFixtures(file);
}

const settles = async (p: Promise<unknown>, ms = 30): Promise<'ok' | 'error' | 'hangs'> => {
  let timer: NodeJS.Timeout | undefined;
  const result = await Promise.race([
    p.then(
      () => 'ok' as const,
      (e) => (e instanceof BackendError ? ('error' as const) : Promise.reject(e)),
    ),
    new Promise<'hangs'>((r) => (timer = setTimeout(() => r('hangs'), ms))),
  ]);
  clearTimeout(timer);
  return result;
};

describe('simulated back end behaviour per customer', () => {
  it('keeps a single behaviour for every change and query, the checks answering from the record', async () => {
    const backend = new SimulatorBackend(fixturesWith('error'), 0);
    const req = (seq: number) => ({ msisdn: '19900000001', idempotencyKey: `c1:${seq}` });
    expect(await settles(backend.executeSuspension(req(1)))).toBe('error');
    expect(await settles(backend.queryAccount({ ...req(2), what: 'bills' }))).toBe('error');
    await expect(backend.checkIvrPassword(req(3))).resolves.toEqual({ ok: true });
    await expect(backend.checkIdDocument({ ...req(4), idLast4: '1234' })).resolves.toEqual({ ok: true });
  });

  it('scripts each operation separately, with * for the rest and checks only when named', async () => {
    const backend = new SimulatorBackend(fixturesWith({ unsubscribe: 'timeout', 'raise-work-order': 'ok', 'id-check': 'error', '*': 'error' }), 0);
    const req = (seq: number) => ({ msisdn: '19900000001', idempotencyKey: `c2:${seq}` });
    expect(await settles(backend.provision({ ...req(1), action: 'unsubscribe', params: {} }))).toBe('hangs');
    expect(await settles(backend.provision({ ...req(2), action: 'raise-work-order', params: {} }))).toBe('ok');
    expect(await settles(backend.sendSms({ ...req(3), template: 'x' }))).toBe('error');
    expect(await settles(backend.checkIdDocument({ ...req(4), idLast4: '1234' }))).toBe('error');
    await expect(backend.checkIvrPassword(req(5))).resolves.toEqual({ ok: true });
  });

  it('answers the 1st, 2nd… request of an operation in one call as listed, the last repeating; each call starts over', async () => {
    const backend = new SimulatorBackend(fixturesWith({ suspend: ['error', 'timeout', 'ok'] }), 0);
    const suspend = (call: string, seq: number) => settles(backend.executeSuspension({ msisdn: '19900000001', idempotencyKey: `${call}:${seq}` }));
    expect([await suspend('a', 1), await suspend('a', 2), await suspend('a', 3), await suspend('a', 4)]).toEqual(['error', 'hangs', 'ok', 'ok']);
    expect(await suspend('b', 1)).toBe('error');
    // Idempotent by key: asking again with a key already answered gets that answer, not the next one.
    expect(await suspend('a', 1)).toBe('error');
  });

  it('remembers recent calls only: a call that failed once, forgotten after MAX_REMEMBERED_KEYS others, fails once again (memory stays bounded)', async () => {
    const backend = new SimulatorBackend(fixturesWith('error-once'), 0);
    const suspend = (call: string, seq: number) => settles(backend.executeSuspension({ msisdn: '19900000001', idempotencyKey: `${call}:${seq}` }));
    expect([await suspend('first', 1), await suspend('first', 2)]).toEqual(['error', 'ok']);
    for (let i = 0; i < MAX_REMEMBERED_KEYS; i += 1000) {
      await Promise.all(
        Array.from({ length: 1000 }, (_, k) => backend.executeSuspension({ msisdn: '19900000001', idempotencyKey: `other-${i + k}:1` }).catch(() => undefined)),
      );
    }
    expect(await suspend('first', 3)).toBe('error');
  });

  it('answers a slow back end after its latency spike, the checks still at once', async () => {
    const backend = new SimulatorBackend(fixturesWith('slow'), 0, 150);
    const req = (seq: number) => ({ msisdn: '19900000001', idempotencyKey: `s1:${seq}` });
    const spiking = backend.executeSuspension(req(1));
    expect(await settles(spiking, 30)).toBe('hangs');
    expect(await settles(spiking, 400)).toBe('ok');
    expect(await settles(backend.checkIvrPassword(req(2)), 30)).toBe('ok');
  });

  it('refuses settings that name unknown operations or behaviours, naming the field', () => {
    for (const bad of [{ unsuspend: 'ok' }, { suspend: 'sluggish' }, { suspend: [] }, {}, ['ok'], 'sometimes']) {
      expect(() => fixturesWith(bad)).toThrow(/customers\.0\.backend: backend must be one of ok, error, error-once, timeout, slow or an object/);
    }
  });

  it('names plans and bill items in both languages, or in one plain string; refuses a name missing a language', async () => {
    const bilingual = { 'zh-CN': '套餐月租', en: 'Plan fee' };
    const [c] = fixturesWith('ok', {
      plan: { id: 'p', name: 'Legacy plan', monthlyYuan: 1 },
      bills: [{ month: '2026-10', totalYuan: 1, items: [{ name: bilingual, yuan: 1 }] }],
    });
    const backend = new SimulatorBackend([c], 0);
    const req = (seq: number) => ({ msisdn: '19900000001', idempotencyKey: `n1:${seq}` });
    expect(await backend.queryAccount({ ...req(1), what: 'bills' })).toMatchObject({ latest: { items: [{ name: bilingual }] } });
    expect(await backend.queryAccount({ ...req(2), what: 'plan' })).toEqual({ plan: { id: 'p', name: 'Legacy plan', monthlyYuan: 1 } });
    for (const name of [{ 'zh-CN': '套餐' }, { 'zh-CN': '套餐', en: '' }, { 'zh-CN': '套餐', en: 'Plan', fr: 'Forfait' }, '', ['Plan']])
      expect(() => fixturesWith('ok', { plan: { id: 'p', name: name as never, monthlyYuan: 1 } })).toThrow(
        /customers\.0\.plan\.name: name must be a non-empty string or an object/,
      );
  });

  it("answers the new businesses' queries from the record, the network and balance never in the profile", async () => {
    const [c] = fixturesWith('ok', {
      network: { areaOutage: true, coverage: 'weak', dataBarred: false },
      arrearsYuan: 12,
      balanceYuan: undefined,
    } as Partial<CustomerFixture>);
    const backend = new SimulatorBackend([c], 0);
    const req = (seq: number) => ({ msisdn: '19900000001', idempotencyKey: `q1:${seq}` });
    expect(await backend.queryAccount({ ...req(1), what: 'network-status' })).toEqual({
      areaOutage: true,
      coverage: 'weak',
      dataBarred: false,
      dataServiceOpen: true,
      handsetMode: '5G',
    });
    // The balance defaults to minus the arrears.
    expect(await backend.queryAccount({ ...req(2), what: 'balance' })).toEqual({ balanceYuan: -12, arrearsYuan: 12 });
    const details = (await backend.queryAccount({ ...req(3), what: 'call-details' })) as { count: number; months: { month: string; topNumber: string }[] };
    expect(details.count).toBe(2);
    expect(details.months[0]).toMatchObject({ month: '2026-10', topNumber: '199****1000' });
    const profile = (await backend.lookupCustomer('19900000001'))!;
    expect(Object.keys(profile)).not.toEqual(expect.arrayContaining(['network']));
    expect(Object.keys(profile)).not.toContain('balanceYuan');
    expect(Object.keys(profile)).not.toContain('dataPacks');
    // No allowance in the record: nothing used, nothing left.
    expect(await backend.queryAccount({ ...req(4), what: 'data-usage' })).toEqual({ packs: [], allowanceMb: 0, usedMb: 0, remainingMb: 0, overMb: 0 });
  });

  it('data usage: each allowance with what is left of it, use beyond one billed (over), never a negative remainder', async () => {
    const packs = [
      { name: 'Plan', allowanceMb: 1000, usedMb: 1250 },
      { name: { 'zh-CN': '加油包', en: 'Top-up' }, allowanceMb: 500, usedMb: 120 },
    ];
    const backend = new SimulatorBackend(fixturesWith('ok', { dataPacks: packs } as Partial<CustomerFixture>), 0);
    expect(await backend.queryAccount({ msisdn: '19900000001', idempotencyKey: 'd1:1', what: 'data-usage' })).toEqual({
      packs: [
        { ...packs[0], remainingMb: 0 },
        { ...packs[1], remainingMb: 380 },
      ],
      allowanceMb: 1500,
      usedMb: 1370,
      remainingMb: 380,
      overMb: 250,
    });
    expect(() => fixturesWith('ok', { dataPacks: [{ name: 'x', allowanceMb: -1, usedMb: 0 }] } as Partial<CustomerFixture>)).toThrow(
      /dataPacks\.0\.allowanceMb/,
    );
  });

  it('refuses a top-up of an amount the gateway does not take and an itemised bill older than six months, whatever its health', async () => {
    const backend = new SimulatorBackend(fixturesWith('ok'), 0);
    const req = (seq: number) => ({ msisdn: '19900000001', idempotencyKey: `r1:${seq}` });
    await expect(backend.provision({ ...req(1), action: 'top-up', params: { amountYuan: '100' } })).resolves.toMatchObject({
      action: 'top-up',
      effective: 'now',
    });
    await expect(backend.provision({ ...req(2), action: 'top-up', params: { amountYuan: '99' } })).rejects.toMatchObject({ code: 'AMOUNT_NOT_ALLOWED' });
    await expect(backend.provision({ ...req(3), action: 'send-call-details', params: { month: 'last-month' } })).resolves.toMatchObject({
      action: 'send-call-details',
    });
    await expect(backend.provision({ ...req(4), action: 'send-call-details', params: { month: 'older' } })).rejects.toMatchObject({ code: 'MONTH_NOT_KEPT' });
  });

  it('resolves behaviours the same way the simulator does', () => {
    expect(behaviourFor('timeout', 'ivr-check')).toBe('ok');
    expect(behaviourFor({ '*': 'timeout' }, 'entry-month-check')).toBe('ok');
    expect(behaviourFor({ '*': 'timeout' }, 'query')).toBe('timeout');
    expect(behaviourFor({ query: ['error', 'ok'] }, 'query', 5)).toBe('ok');
  });
});
