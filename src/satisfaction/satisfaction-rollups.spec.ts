import * as fs from 'node:fs';
import type { DataSource } from 'typeorm';
import type { SatisfactionFigures } from '../../protocol/satisfaction';
import { sqlPort } from '../common/sql-port';
import { SatisfactionRollups1765670000000 } from '../database/migrations/1765670000000-satisfaction-rollups';
import type { CallFacts } from '../metrics/call-facts';
import { MetricsWriter } from '../metrics/metrics-writer';
import { openTestDatabase } from '../testing/sqlite-data-source';
import { syntheticCalls } from '../testing/synthetic-calls';
import { syntheticReplies } from '../testing/synthetic-replies';
import { figures, type SatisfactionFilter, SatisfactionQueries } from './satisfaction-queries';
import { storeReply, type StoredReply } from './survey-replies.store';

/**
 * The satisfaction report read from the rollups equals the same report worked out reply by reply
 * from the calls' facts (docs/SATISFACTION.md §3), whether a reply came before its call's facts
 * were written (summed by the facts' transaction) or after (by the reply's), and the migration's
 * backfill rebuilds exactly the rows the two transactions added.
 */
describe('satisfaction rollups', () => {
  let dataSource: DataSource;
  let dir: string;
  let queries: SatisfactionQueries;
  const calls = syntheticCalls(500, 11);
  const replies: StoredReply[] = [];

  beforeAll(async () => {
    ({ dataSource, dir } = await openTestDatabase());
    const sql = sqlPort(dataSource);
    const writer = new MetricsWriter(sql);
    replies.push(...syntheticReplies(calls, 7));
    // The first half's facts are written before the replies come, the second half's after; one at a time and in batches.
    const half = calls.length / 2;
    for (const c of calls.slice(0, 150)) await writer.write(c);
    await writer.writeMany(calls.slice(150, half));
    for (const r of replies) await sql.transaction(() => storeReply(sql.dialect, r, r.repliedAt));
    for (const c of calls.slice(half, half + 100)) await writer.write(c);
    for (let i = half + 100; i < calls.length; i += 40) await writer.writeMany(calls.slice(i, i + 40));
    queries = new SatisfactionQueries(sql);
  });
  afterAll(async () => {
    await dataSource.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const FILTERS: SatisfactionFilter[] = [
    {},
    { from: '2026-02-01', to: '2026-03-31' },
    { from: '2026-01-20', to: '2026-04-10' },
    { from: '2026-02-12', to: '2026-02-16' },
    { flowId: 'f1' },
    { flowId: 'f2', from: '2026-03-05' },
    { agentIds: ['a2', 'a4'] },
    { agentIds: ['a3'], flowId: 'f1', to: '2026-02-27' },
    { agentIds: [] },
  ];

  it.each(FILTERS)('reads the same report as the replies one by one: %j', async (f) => {
    expect(replies.length).toBeGreaterThan(300);
    const expected = reference(calls, replies, f);
    if (f.agentIds?.length !== 0) expect(expected.total.replies).toBeGreaterThan(0);
    expect(await queries.report(f)).toEqual(expected);
    expect(await queries.byBusiness(f)).toEqual(expected.byBusiness);
  });

  it('the migration backfills the rows the reply and facts transactions added', async () => {
    const rows = () => dataSource.query(`SELECT * FROM metric_rollup_satisfaction ORDER BY grain, day, kind, flow_id, flow_version, path, agent_id, channel`);
    const live = await rows();
    expect(live.length).toBeGreaterThan(1000);
    const q = dataSource.createQueryRunner();
    try {
      await new SatisfactionRollups1765670000000().down(q);
      await new SatisfactionRollups1765670000000().up(q);
    } finally {
      await q.release();
    }
    expect(await rows()).toEqual(live);
  });
});

/** The report by its definition: each reply with its call's facts; per business, version and path once per call. */
function reference(calls: CallFacts[], replies: StoredReply[], f: SatisfactionFilter) {
  const byId = new Map(calls.map((c) => [c.call.callId, c]));
  const groups = new Map<string, { keys: (string | number)[]; ratings: number[] }>();
  const add = (table: string, keys: (string | number)[], rating: number) => {
    const id = JSON.stringify([table, ...keys]);
    const g = groups.get(id) ?? { keys, ratings: [] };
    g.ratings.push(rating);
    groups.set(id, g);
  };
  for (const r of replies) {
    const c = byId.get(r.callId)!;
    const businesses = c.segments
      .filter((s) => s.kind === 'business')
      .map((s) => ({
        ...s,
        path: c.steps
          .filter((v) => v.segment === s.segment)
          .map((v) => v.stepId)
          .join('>'),
      }));
    if ((f.from && c.call.day < f.from) || (f.to && c.call.day > f.to)) continue;
    if (f.agentIds && !f.agentIds.includes(c.call.agentId)) continue;
    if (f.flowId && !businesses.some((b) => b.flowId === f.flowId)) continue;
    const mine = businesses.filter((b) => !f.flowId || b.flowId === f.flowId);
    add('total', [], r.rating);
    add('channel', [r.channel], r.rating);
    add('agent', [c.call.agentId], r.rating);
    for (const flowId of new Set(mine.map((b) => b.flowId))) add('business', [flowId], r.rating);
    for (const v of new Set(mine.map((b) => `${b.flowId}|${b.flowVersion}`))) add('version', v.split('|'), r.rating);
    for (const p of new Set(mine.map((b) => `${b.flowId}|${b.path}`))) add('path', p.split('|'), r.rating);
  }
  const of = (table: string) =>
    [...groups.entries()].filter(([id]) => JSON.parse(id)[0] === table).map(([, g]) => ({ keys: g.keys, figures: figures(g.ratings) as SatisfactionFigures }));
  return {
    total: of('total')[0]?.figures ?? figures([]),
    byChannel: (['sms', 'ivr'] as const).map((channel) => ({ channel, ...(of('channel').find((g) => g.keys[0] === channel)?.figures ?? figures([])) })),
    byBusiness: of('business')
      .map((g) => ({ flowId: String(g.keys[0]), ...g.figures }))
      .sort((a, b) => a.flowId.localeCompare(b.flowId)),
    byVersion: of('version')
      .map((g) => ({ flowId: String(g.keys[0]), version: Number(g.keys[1]), ...g.figures }))
      .sort((a, b) => a.flowId.localeCompare(b.flowId) || a.version - b.version),
    byAgent: of('agent')
      .map((g) => ({ agentId: String(g.keys[0]), ...g.figures }))
      .sort((a, b) => a.agentId.localeCompare(b.agentId)),
    byStepPath: of('path')
      .map((g) => ({ flowId: String(g.keys[0]), path: g.keys[1] ? String(g.keys[1]).split('>') : [], ...g.figures }))
      .sort((a, b) => a.flowId.localeCompare(b.flowId) || b.replies - a.replies || a.path.join('>').localeCompare(b.path.join('>'))),
  };
}
