/** The scripted agents' choices: a seeded random generator, the flows to start, and the inputs it picks for an option. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { View } from './agent-ledger';

/** mulberry32: small, fast, seedable. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
}

/** Inputs for an option from what the view declares (null: the option cannot be answered now). */
export function inputFor(rng: Rng, view: View, option: { id: string; inputs: string[] }): Record<string, string> | null {
  const input: Record<string, string> = {};
  for (const name of option.inputs) {
    const def = view.step.inputs.find((i) => i.name === name);
    if (!def) return null;
    if (def.type === 'enum' || def.type === 'offer' || def.values) {
      if (!def.values?.length) {
        if (def.required) return null;
        continue;
      }
      input[name] = rng.pick(def.values).id;
    } else if (def.type === 'digits') {
      input[name] = Array.from({ length: def.length ?? 4 }, () => String(rng.int(0, 9))).join('');
    } else {
      input[name] = name === 'entryMonth' ? '2015-06' : `note ${rng.int(1, 9999)}`;
    }
  }
  return input;
}

/** The business flows (and the hotline entry) a call can be started with. */
export function startableFlows(repoRoot: string): string[] {
  const dir = path.join(repoRoot, 'flows');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { id: string; kind?: string })
    .filter((d) => d.kind !== 'hang-up')
    .map((d) => d.id)
    .sort();
}
