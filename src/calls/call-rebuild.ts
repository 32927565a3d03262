import type { Logger } from '@nestjs/common';
import type { BrokenChain, CallLog, CallLogChunk, CallRecord, StoredEvent } from '../decision-log/decision-log';
import { verifyChain } from '../decision-log/hash-chain';
import type { FlowCatalog } from '../flows/flow-catalog.service';
import { LiveCall } from './live-call';
import { replayCall, replaySteps } from './step';
import { replayFailure } from './unrecovered-call';

/** How many calls' chains are checked per turn of the event loop after a restart. */
const CHAIN_CHECKS_PER_TURN = 200;

/**
 * A live call rebuilt from its log: the logged events re-executed on the versions the call ran on.
 * Throws (typed where it can: FLOW_UNAVAILABLE) when the log does not replay. A broken hash chain
 * does not stop the call — it re-executes the same, so it goes on, and QA sees the break in replay.
 * `checkChain: false` leaves the chain to `checkChainsLater` (crash recovery, before the server listens).
 */
export function rebuildCall(catalog: FlowCatalog, record: CallRecord, events: readonly StoredEvent[], logger: Logger, checkChain = true): LiveCall {
  const replay = checkChain ? replayCall(catalog, record, events) : replaySteps(catalog, record, events);
  if (!replay.deterministic || !replay.progress) throw replayFailure(catalog, record, events, replay.divergences[0]);
  if (checkChain) warnIfBroken(record.id, (replay as ReturnType<typeof replayCall>).chain, logger);
  return new LiveCall(replay.progress);
}

/**
 * Crash recovery: each part of the logs rebuilt as it arrives, while the log reads the next. Returns
 * how many calls were read and how long the reading kept recovery waiting (the rest is rebuilding).
 */
export async function recoverInParts(
  chunks: AsyncIterator<CallLogChunk>,
  recover: (chunk: CallLogChunk) => void,
): Promise<{ calls: number; waitedMs: number }> {
  let calls = 0;
  let waitedMs = 0;
  for (;;) {
    const asked = performance.now();
    const next = await chunks.next();
    waitedMs += performance.now() - asked;
    if (next.done) return { calls, waitedMs };
    calls += next.value.logs.length;
    recover(next.value);
  }
}

/** Logs read at once, as one part (calls taken over from another node). */
export async function* oneChunk(logs: Promise<CallLog[]>): AsyncGenerator<CallLogChunk> {
  yield { logs: await logs };
}

/** The hash chains of recovered calls, checked a slice per turn once the server serves again. */
export function checkChainsLater(logs: readonly CallLog[], logger: Logger): void {
  let next = 0;
  const slice = () => {
    for (const end = Math.min(logs.length, next + CHAIN_CHECKS_PER_TURN); next < end; next++) {
      warnIfBroken(logs[next].call.id, verifyChain(logs[next].events), logger);
    }
    if (next < logs.length) setImmediate(slice).unref();
  };
  setImmediate(slice).unref();
}

/** Chains found broken where the logs were read (the recovery reader's thread). */
export function warnBrokenChains(broken: readonly BrokenChain[], logger: Logger): void {
  for (const b of broken) warnIfBroken(b.callId, { intact: false, brokenAt: { seq: b.seq, reason: b.reason } }, logger);
}

function warnIfBroken(callId: string, chain: ReturnType<typeof verifyChain>, logger: Logger): void {
  if (!chain.intact) logger.warn(`log of call ${callId} has a broken hash chain at seq ${chain.brokenAt!.seq}: ${chain.brokenAt!.reason}`);
}
