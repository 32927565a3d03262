/**
 * Prometheus text → { 'name{labels}': value } (labels as printed by prom-client). The `node` label
 * every series carries (NODE_ID) is taken out of the key and checked to be `node` when given.
 */
export function parseMetrics(text: string, node?: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    const key = line.slice(0, i);
    const label = /node="([^"]*)"/.exec(key);
    if (node !== undefined && label?.[1] !== node) throw new Error(`series without node="${node}": ${line}`);
    out.set(
      label
        ? key
            .replace(/node="[^"]*",?/, '')
            .replace(',}', '}')
            .replace('{}', '')
        : key,
      Number(line.slice(i + 1)),
    );
  }
  return out;
}
