import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SearchAccuracy, SearchKind, SearchReply } from '../../protocol/knowledge';
import type { AuthUser } from '../auth/auth-user';
import { AppError } from '../common/app-error';
import { FlowCatalog } from '../flows/flow-catalog.service';
import { SearchLogEntity } from './knowledge.entities';
import { candidates, rankHits, replaceDocs, type SearchDoc } from './search-docs';

const LIMIT = 10;

/**
 * The agent screen's one search box: articles, businesses and scenarios together. Candidates come
 * from the store's full-text index (search-docs.ts), ranked here; every search and the pick after it
 * are logged (tied to the call when one is open) so the share of picks in the top 3 can be reported.
 */
@Injectable()
export class KnowledgeSearch implements OnApplicationBootstrap {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalog: FlowCatalog,
  ) {}

  /** Businesses and their scenarios as they are in force now (re-done at every start: flows come from files and publications). */
  async onApplicationBootstrap(): Promise<void> {
    await this.indexFlows();
  }

  async indexFlows(): Promise<void> {
    const businesses: SearchDoc[] = [];
    const scenarios: SearchDoc[] = [];
    for (const flow of this.catalog.businesses()) {
      for (const [locale, title] of Object.entries(flow.title))
        businesses.push({ kind: 'business', ref: flow.id, locale, title, body: [flow.id, ...(flow.keywords ?? [])].join(' ') });
      (flow.scenarios ?? []).forEach((s, n) => {
        for (const [locale, text] of Object.entries(s))
          scenarios.push({ kind: 'scenario', ref: `${flow.id}#${n}`, locale, title: text, body: (flow.title as Record<string, string>)[locale] ?? '' });
      });
    }
    await this.dataSource.transaction(async (m) => {
      await replaceDocs(m, 'business', 'all', businesses);
      await replaceDocs(m, 'scenario', 'all', scenarios);
    });
  }

  async search(user: AuthUser, query: string, callId: string | null): Promise<SearchReply> {
    const hits = rankHits(query, await candidates(this.dataSource.manager, query), LIMIT);
    const saved = await this.dataSource.getRepository(SearchLogEntity).insert({
      at: new Date().toISOString(),
      actor: user.username,
      callId,
      query,
      hits: JSON.stringify(hits.map((h) => `${h.kind}:${h.id}`)),
    });
    return { searchId: Number(saved.identifiers[0].id), hits };
  }

  /** The hit the agent opened after a search (by the same person); its place among the hits is what accuracy counts. */
  async pick(user: AuthUser, searchId: number, kind: SearchKind, id: string): Promise<{ rank: number | null }> {
    const repo = this.dataSource.getRepository(SearchLogEntity);
    const row = await repo.findOne({ where: { id: searchId, actor: user.username } });
    if (!row) throw new AppError('NOT_FOUND', `No search ${searchId} of yours`);
    const ref = `${kind}:${id}`;
    const at = (JSON.parse(row.hits) as string[]).indexOf(ref);
    const rank = at < 0 ? null : at + 1;
    await repo.update({ id: searchId }, { pickedRef: ref, pickedRank: rank, pickedAt: new Date().toISOString() });
    return { rank };
  }

  async accuracy(): Promise<SearchAccuracy> {
    const repo = this.dataSource.getRepository(SearchLogEntity);
    const qb = () => repo.createQueryBuilder('s');
    const searches = await qb().getCount();
    const picked = await qb().where('s.picked_ref IS NOT NULL').getCount();
    const pickedInTop3 = await qb().where('s.picked_rank IS NOT NULL AND s.picked_rank <= 3').getCount();
    return { searches, picked, pickedInTop3, top3Rate: picked ? Math.round((pickedInTop3 / picked) * 1000) / 1000 : null };
  }
}
