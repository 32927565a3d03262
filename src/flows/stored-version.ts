import { AppError } from '../common/app-error';
import type { FlowVersionEntity, VersionStatus } from './flow-version.entity';
import { type CompiledFlow, compileFlow, FlowLoadError } from './flow-loader';
import type { FlowProblem } from './flow-validator';
import type { FlowRegistry } from './registry/registry';

/** A stored version's definition compiled, or what stops it from loading. */
export type StoredLoad = { ok: true; flow: CompiledFlow } | { ok: false; problems: FlowProblem[] };

/** A stored version the server could not load: reported (log, health, editor), never fatal. */
export interface VersionNotLoading {
  flowId: string;
  version: number;
  status: VersionStatus;
  /** It was in force at some time, so calls may have run on it (recovery and replay need it). */
  everPublished: boolean;
  problems: FlowProblem[];
}

/** The name a stored version goes by in loader messages. */
export const storedSource = (flowId: string, version: number) => `flow_versions(${flowId}@${version})`;

/**
 * Loads a version's stored definition without ever throwing: a supervisor may save any JSON object
 * as a draft, and a version written by an older release may name an implementation since removed.
 * Whatever fails — the JSON, the loader's checks, building the machine — comes back as problems.
 */
export function loadStoredVersion(row: Pick<FlowVersionEntity, 'flowId' | 'version' | 'definition'>, registry: FlowRegistry): StoredLoad {
  let raw: unknown;
  try {
    raw = JSON.parse(row.definition);
  } catch (e) {
    return { ok: false, problems: [{ path: '$', message: `not valid JSON: ${(e as Error).message}` }] };
  }
  return loadDefinition(raw, registry, storedSource(row.flowId, row.version));
}

/** As loadStoredVersion, for a definition already parsed. */
export function loadDefinition(raw: unknown, registry: FlowRegistry, source: string): StoredLoad {
  try {
    return { ok: true, flow: compileFlow(raw, registry, source) };
  } catch (e) {
    if (e instanceof FlowLoadError) return { ok: false, problems: e.problems };
    return { ok: false, problems: [{ path: '$', message: `does not load: ${(e as Error).message}` }] };
  }
}

/** At most this many problems are quoted in an error or in health (a huge broken draft has thousands). */
const QUOTED_PROBLEMS = 20;

export const quoteProblems = (problems: FlowProblem[]): FlowProblem[] =>
  problems.slice(0, QUOTED_PROBLEMS).map((p) => ({ path: p.path.slice(0, 300), message: p.message.slice(0, 300) }));

const firstProblem = (problems: FlowProblem[]) => (problems.length ? ` (${problems[0].path}: ${problems[0].message.slice(0, 200)}${problems.length > 1 ? `; ${problems.length - 1} more` : ''})` : '');

/**
 * A call needs a version this server cannot load: the call is refused (and reported in health), the
 * rest of the hotline runs. Agents get no loader internals; supervisors see them in health and the editor.
 */
export function flowUnavailable(flowId: string, version: number, callId?: string): AppError {
  return new AppError(
    'FLOW_UNAVAILABLE',
    `${callId ? `Call ${callId} runs on ` : ''}${flowId} version ${version}, which does not load on this server; supervisors see why in the flow editor and /api/health`,
    callId ? { callId, flowId, version } : { flowId, version },
  );
}

/** An authoring request about a version whose definition does not load (diff, paths, dry run, publish). */
export function versionDoesNotLoad(flowId: string, version: number, problems: FlowProblem[]): AppError {
  return new AppError('VERSION_DOES_NOT_LOAD', `${flowId} version ${version} does not load${firstProblem(problems)}`, {
    flowId, version, problems: quoteProblems(problems), problemCount: problems.length,
  });
}
