import type { KeyObject } from 'node:crypto';
import type { SqlPort } from '../common/sql-port';
import type { StoredEvent } from '../decision-log/decision-log';
import { verifyChain } from '../decision-log/hash-chain';
import { readEventsPage } from '../decision-log/log-rows';
import { type Finding, readAnchors } from './anchor-record';

export interface VerifyReport {
  calls: number;
  events: number;
  anchorLines: number;
  anchoredCalls: number;
  findings: Finding[];
}

const PAGE_CALLS = 500;

/**
 * The whole log against itself and against the anchors: every call's chain links from genesis and
 * every hash matches its event; every anchored head is still there with the anchored hash (a rewrite
 * that recomputed the chain changes it); every anchored call still exists (a deleted call leaves
 * its anchor behind). Reads the log a page of calls at a time.
 */
export async function verifyLog(sql: SqlPort, anchorFileText: string, publicKey: KeyObject): Promise<VerifyReport> {
  const anchors = readAnchors(anchorFileText, publicKey);
  const findings: Finding[] = [...anchors.findings];
  const seen = new Set<string>();
  let calls = 0;
  let events = 0;
  const check = (callId: string, callEvents: StoredEvent[]) => {
    calls++;
    events += callEvents.length;
    seen.add(callId);
    const chain = verifyChain(callEvents);
    if (!chain.intact) findings.push({ kind: 'chain', callId, detail: `chain broken at seq ${chain.brokenAt!.seq}: ${chain.brokenAt!.reason}` });
    const anchored = anchors.heads.get(callId);
    if (!anchored) return;
    const event = callEvents.find((e) => e.seq === anchored.seq);
    if (!event)
      findings.push({ kind: 'rewritten', callId, line: anchored.line, detail: `event seq ${anchored.seq}, anchored on line ${anchored.line}, is gone` });
    else if (event.hash !== anchored.hash)
      findings.push({
        kind: 'rewritten',
        callId,
        line: anchored.line,
        detail: `event seq ${anchored.seq} hashes ${event.hash.slice(0, 12)}…, anchored on line ${anchored.line} as ${anchored.hash.slice(0, 12)}…: the log was rewritten`,
      });
  };
  for (let after = ''; ;) {
    const page = await readEventsPage(sql, after, PAGE_CALLS);
    if (!page.length) break;
    let start = 0;
    for (let i = 1; i <= page.length; i++) {
      if (i === page.length || page[i].callId !== page[start].callId) {
        check(page[start].callId, page.slice(start, i));
        start = i;
      }
    }
    after = page[page.length - 1].callId;
  }
  for (const [callId, head] of anchors.heads) {
    if (!seen.has(callId))
      findings.push({
        kind: 'deleted',
        callId,
        line: head.line,
        detail: `anchored on line ${head.line} (seq ${head.seq}) but not in the log: the call was deleted`,
      });
  }
  return { calls, events, anchorLines: anchors.lines, anchoredCalls: anchors.heads.size, findings };
}
