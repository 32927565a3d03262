import { createHash } from 'node:crypto';
import type { FlowVersionEntity } from '../flows/flow-version.entity';
import type { FlowProblem } from '../flows/flow-validator';
import type { FlowRegistry } from '../flows/registry/registry';
import { loadStoredVersion } from '../flows/stored-version';

/** Enough for every version of every flow many times over; past it the memo starts again. */
const MAX_ENTRIES = 5000;

/**
 * Whether each stored version loads, for the version lists (every `GET /flows` lists them all).
 * Memoised by the definition's exact text, so a draft saved again is checked again; only the
 * answer is kept, never the compiled machine.
 */
export class VersionLoads {
  private readonly memo = new Map<string, FlowProblem[] | null>();

  constructor(private readonly registry: FlowRegistry) {}

  /** Why the version does not load, or null when it does. */
  problems(row: Pick<FlowVersionEntity, 'flowId' | 'version' | 'definition'>): FlowProblem[] | null {
    const key = `${row.flowId}@${row.version}:${createHash('sha256').update(row.definition).digest('hex')}`;
    if (this.memo.has(key)) return this.memo.get(key)!;
    const load = loadStoredVersion(row, this.registry);
    if (this.memo.size >= MAX_ENTRIES) this.memo.clear();
    this.memo.set(key, load.ok ? null : load.problems);
    return load.ok ? null : load.problems;
  }
}
