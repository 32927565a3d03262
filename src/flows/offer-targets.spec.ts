import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { openTestDatabase } from '../testing/sqlite-data-source';
import { FlowCatalog } from './flow-catalog.service';
import { loadMatrixFile } from './marketing-matrix';
import { flowOfferProblems, matrixOfferProblems } from './offer-targets';

const FLOWS = path.resolve(__dirname, '../../flows');
const MATRIX = path.join(FLOWS, 'marketing/related-marketing.json');
const readFlow = (id: string) => JSON.parse(fs.readFileSync(path.join(FLOWS, `${id}.json`), 'utf8'));
const shipped = new Set(
  fs
    .readdirSync(FLOWS)
    .filter((f) => f.endsWith('.json'))
    .map((f) => readFlow(f.replace(/\.json$/, '')))
    .filter((d) => (d.kind ?? 'business') === 'business')
    .map((d) => d.id as string),
);
const isShipped = (id: string) => shipped.has(id);
const badOffer = { id: 'free-iphone', targetFlowId: 'iphone-shop', title: { 'zh-CN': '免费手机', en: 'Free phone' }, pitch: { 'zh-CN': '送手机', en: 'A free phone' } };

describe('offers name a business that exists', () => {
  it('every offer of the shipped matrix and flows opens a shipped business — the lost-phone offers open the new flows', () => {
    const { matrix } = loadMatrixFile(MATRIX);
    expect(matrixOfferProblems(matrix, isShipped)).toEqual([]);
    for (const id of shipped) expect(flowOfferProblems(readFlow(id), isShipped)).toEqual([]);
    const target = (offerId: string) => matrix.offers.find((o) => o.id === offerId)!.targetFlowId;
    expect([target('online-phone-purchase'), target('replacement-sim')]).toEqual(['phone-purchase', 'sim-replacement']);
    expect([...shipped]).toEqual(expect.arrayContaining(['phone-purchase', 'sim-replacement', 'top-up', 'itemised-bill', 'data-fault']));
  });

  it('finds a matrix offer that opens no business, with its JSON path', () => {
    const { matrix } = loadMatrixFile(MATRIX);
    const bad = { ...matrix, offers: [...matrix.offers, badOffer] };
    expect(matrixOfferProblems(bad, isShipped)).toEqual([
      { path: `$.offers[${matrix.offers.length}].targetFlowId`, message: expect.stringContaining("offer 'free-iphone' opens 'iphone-shop'") },
    ]);
    // A sub-blueprint is not a business an offer can open.
    expect(matrixOfferProblems({ ...matrix, offers: [{ ...badOffer, targetFlowId: 'hang-up' }] }, isShipped)).toHaveLength(1);
  });

  it("finds a flow's own offer (a step's or a regional variant's) that opens no business; the flow itself counts", () => {
    const flow = readFlow('suspend-service');
    flow.machine.states.upsell.meta.offers = [badOffer, { ...badOffer, id: 'again', targetFlowId: 'suspend-service' }];
    flow.variants = { 广东: { steps: { upsell: { offers: [{ ...badOffer, targetFlowId: 'holiday-plan' }, badOffer] } } } };
    expect(flowOfferProblems(flow, isShipped).map((p) => p.path)).toEqual([
      '$.machine.states.upsell.meta.offers[0].targetFlowId',
      "$.variants['广东'].steps.upsell.offers[1].targetFlowId",
    ]);
    // A half-written draft is the schema's business, not this check's.
    expect(flowOfferProblems({ machine: { states: { a: null } }, variants: 'x' }, isShipped)).toEqual([]);
  });

  describe('at boot', () => {
    let dataSource: DataSource;
    let dir: string;
    beforeEach(async () => {
      ({ dataSource } = await openTestDatabase());
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'laihua-offers-'));
    });
    afterEach(async () => {
      await dataSource.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('refuses a matrix whose offer opens no business', async () => {
      const raw = JSON.parse(fs.readFileSync(MATRIX, 'utf8'));
      raw.offers.push(badOffer);
      const file = path.join(dir, 'matrix.json');
      fs.writeFileSync(file, JSON.stringify(raw));
      const catalog = new FlowCatalog(loadConfig({ FLOWS_DIR: FLOWS, MATRIX_FILE: file }), dataSource);
      await expect(catalog.onModuleInit()).rejects.toThrow(/matrix\.json: \$\.offers\[\d+\]\.targetFlowId: offer 'free-iphone' opens 'iphone-shop'/);
    });

    it('refuses a flow file whose offer opens no business; the shipped files boot and every business is known', async () => {
      for (const f of fs.readdirSync(FLOWS).filter((n) => n.endsWith('.json'))) fs.copyFileSync(path.join(FLOWS, f), path.join(dir, f));
      const flow = readFlow('suspend-service');
      flow.machine.states.upsell.meta.offers = [badOffer];
      fs.writeFileSync(path.join(dir, 'suspend-service.json'), JSON.stringify(flow));
      const bad = new FlowCatalog(loadConfig({ FLOWS_DIR: dir, MATRIX_FILE: MATRIX }), dataSource);
      await expect(bad.onModuleInit()).rejects.toThrow(/suspend-service\.json: \$\.machine\.states\.upsell\.meta\.offers\[0\]\.targetFlowId/);

      const { dataSource: fresh } = await openTestDatabase();
      try {
        const good = new FlowCatalog(loadConfig({ FLOWS_DIR: FLOWS, MATRIX_FILE: MATRIX }), fresh);
        await good.onModuleInit();
        expect(good.isBusiness('sim-replacement')).toBe(true);
        expect(good.isBusiness('hang-up')).toBe(false);
        expect(good.isBusiness('iphone-shop')).toBe(false);
      } finally {
        await fresh.destroy();
      }
    });
  });
});
