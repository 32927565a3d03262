import type { EntityManager } from 'typeorm';
import type { SearchHit, SearchKind } from '../../protocol/knowledge';
import { grams, normalize, score } from './ranking';

/** One searchable text: an article in one locale, a business's title and keywords, or one scenario. */
export interface SearchDoc {
  kind: SearchKind;
  /** Unique per kind and locale: article id, flow id, or `flowId#n` for a flow's n-th scenario. */
  ref: string;
  locale: string;
  title: string;
  body: string;
}

const isPg = (m: EntityManager) => m.connection.options.type === 'postgres';
const p = (m: EntityManager, i: number) => (isPg(m) ? `$${i}` : '?');
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Replaces the docs of `kind` with these refs (or all of that kind) by `docs`, inside the caller's
 * transaction. On PostgreSQL several nodes re-index at boot at once: a transaction-scoped advisory
 * lock makes each replacement wait for the other's commit (both deleting, then both inserting the
 * same keys, failed the later node's boot on search_docs_pkey). SQLite has one writer anyway.
 */
export async function replaceDocs(m: EntityManager, kind: SearchKind, refs: string[] | 'all', docs: SearchDoc[]): Promise<void> {
  if (isPg(m)) await m.query(`SELECT pg_advisory_xact_lock(hashtext('laihua:search_docs'))`);
  if (refs === 'all') await m.query(`DELETE FROM "search_docs" WHERE "kind" = ${p(m, 1)}`, [kind]);
  else for (const ref of refs) await m.query(`DELETE FROM "search_docs" WHERE "kind" = ${p(m, 1)} AND "ref" = ${p(m, 2)}`, [kind, ref]);
  for (const d of docs) {
    const params = [d.kind, d.ref, d.locale, d.title, d.body, normalize(`${d.title} ${d.body}`)];
    await m.query(
      `INSERT INTO "search_docs" ("kind", "ref", "locale", "title", "body", "text") VALUES (${params.map((_, i) => p(m, i + 1)).join(', ')})`,
      params,
    );
  }
}

const CANDIDATES = 200;

/**
 * Candidates for a query from the store's own index: with 3+ characters, any of its trigrams (FTS5
 * MATCH on SQLite; ILIKE served by the pg_trgm GIN index on PostgreSQL) — a typo or another word
 * order still leaves some trigram in common; shorter queries, or ones no trigram finds, fall back to
 * LIKE on bigrams (a scan, bounded by the limit).
 */
export async function candidates(m: EntityManager, query: string): Promise<SearchDoc[]> {
  const compact = normalize(query).replace(/ /g, '');
  if (!compact) return [];
  if ([...compact].length >= 3) {
    const tri = grams(query, 3).filter((g) => [...g].length >= 3);
    if (tri.length) {
      const rows = isPg(m)
        ? await m.query(`SELECT "kind", "ref", "locale", "title", "body" FROM "search_docs" WHERE "text" ILIKE ANY($1::text[]) LIMIT ${CANDIDATES}`, [
            tri.map((g) => `%${likeEscape(g)}%`),
          ])
        : await m.query(`SELECT "kind", "ref", "locale", "title", "body" FROM "search_docs" WHERE "search_docs" MATCH ? ORDER BY rank LIMIT ${CANDIDATES}`, [
            tri.map((g) => `"${g.replace(/"/g, '""')}"`).join(' OR '),
          ]);
      if (rows.length) return rows as SearchDoc[];
    }
  }
  const short = grams(query, 2);
  const where = short.map((_, i) => `"text" LIKE ${p(m, i + 1)} ESCAPE '\\'`).join(' OR ');
  return (await m.query(
    `SELECT "kind", "ref", "locale", "title", "body" FROM "search_docs" WHERE ${where} LIMIT ${CANDIDATES}`,
    short.map((g) => `%${likeEscape(g)}%`),
  )) as SearchDoc[];
}

/** A scenario's ref is `flowId#n`: the hit points at the business. */
const idOf = (d: SearchDoc) => (d.kind === 'scenario' ? d.ref.split('#')[0] : d.ref);

/** The best `limit` hits among the candidates: one per article / business (its best-scoring doc), highest score first. */
export function rankHits(query: string, docs: SearchDoc[], limit: number): SearchHit[] {
  const best = new Map<string, SearchHit>();
  for (const doc of docs) {
    const s = score(query, doc.title, doc.body);
    if (s <= 0) continue;
    const key = `${doc.kind}:${idOf(doc)}`;
    const prior = best.get(key);
    if (!prior || s > prior.score) best.set(key, { kind: doc.kind, id: idOf(doc), title: doc.title, snippet: doc.body.slice(0, 120), score: s });
  }
  return [...best.values()].sort((a, b) => b.score - a.score || a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id)).slice(0, limit);
}
