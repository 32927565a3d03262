import type { CustomerFixture } from '../backend/simulator/customer-fixtures';
import { stepMeta } from '../calls/step';
import type { CompiledFlow } from '../flows/flow-loader';
import type { PathLabel, PathStep } from './path-model';

/** The fixture's secrets (fields the agent never sees: password, ID digits, entry month…) — what a caller could say. */
export function secretsOf(fixture: CustomerFixture, profile: object): string[] {
  return Object.entries(fixture)
    .filter(([k, v]) => !(k in profile) && typeof v === 'string')
    .flatMap(([, v]) => [v as string, (v as string).replace(/\D/g, '')])
    .filter(Boolean);
}

/** Raw inputs to try at a decision: the path's own first, then each free (digits/string) input replaced by a secret of the caller. */
export function inputChoices(flow: CompiledFlow, step: PathStep, secrets: string[]): (Record<string, unknown> | undefined)[] {
  const label = step.label as Extract<PathLabel, { kind: 'decision' }>;
  if (!label.input) return [undefined];
  const meta = stepMeta(flow.definition, step.state);
  const free = (meta.inputs ?? []).filter((i) => label.input && i.name in label.input && (i.type === 'digits' || i.type === 'string'));
  const choices: Record<string, unknown>[] = [label.input];
  for (const def of free) {
    const valid = secrets.filter((s) =>
      def.type === 'digits' ? /^\d+$/.test(s) && (def.length === undefined || s.length === def.length) : s.length <= (def.maxLength ?? 500),
    );
    for (const base of [...choices]) for (const s of valid) choices.push({ ...base, [def.name]: s });
  }
  const seen = new Set<string>();
  return choices.filter((c) => !seen.has(JSON.stringify(c)) && seen.add(JSON.stringify(c)));
}
