import type { EntityManager } from 'typeorm';
import type { SearchKind } from '../../protocol/knowledge';
import { grams, normalize } from './ranking';

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

/** Replaces every doc of `kind` whose ref starts with `refPrefix` (exact ref when it has no '*'). */
export async function replaceDocs(m: EntityManager, kind: SearchKind, refs: string[] | 'all', docs: SearchDoc[]): Promise<void> {
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
