/**
 * Query handling for the one search box. The database finds candidates (SQLite FTS5 trigram,
 * PostgreSQL pg_trgm); this orders them. Chinese is written without spaces, so a query is cut into
 * overlapping character n-grams: a typo spoils only the grams that touch it, and words in another
 * order still share their bigrams.
 */
export function normalize(query: string): string {
  return query.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Overlapping n-grams of each space-separated piece (pieces shorter than n are kept whole). */
export function grams(query: string, n: number): string[] {
  const out = new Set<string>();
  for (const piece of normalize(query).split(' ').filter(Boolean)) {
    const chars = [...piece];
    if (chars.length <= n) out.add(piece);
    else for (let i = 0; i + n <= chars.length; i++) out.add(chars.slice(i, i + n).join(''));
  }
  return [...out];
}

/**
 * How well a text answers a query, 0..1 (+1 when the whole query appears): the share of the query's
 * bigrams the text holds, title weighing twice the body.
 */
export function score(query: string, title: string, body: string): number {
  const q = normalize(query);
  const t = normalize(title);
  const b = normalize(body);
  const bigrams = grams(q, 2);
  if (bigrams.length === 0) return 0;
  const share = (text: string) => bigrams.filter((g) => text.includes(g)).length / bigrams.length;
  const compact = q.replace(/ /g, '');
  const whole = t.replace(/ /g, '').includes(compact) ? 1 : b.replace(/ /g, '').includes(compact) ? 0.5 : 0;
  return Math.round(((2 * share(t) + share(b)) / 3 + whole) * 1000) / 1000;
}
