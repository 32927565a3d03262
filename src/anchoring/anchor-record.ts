import { createHash, type KeyObject, sign, verify } from 'node:crypto';
import { canonical } from '../decision-log/hash-chain';

/** A call's chain head as anchored: [call id, seq of its last event then, that event's hash]. */
export type AnchoredHead = [callId: string, seq: number, hash: string];

/**
 * One signed checkpoint of the decision log, one JSON line of the anchor file: the heads of every
 * call that gained events in the event-id range (from, to], linked to the line before (`prev` =
 * sha256 of that line's text), signed with the anchor key (Ed25519). The file lives outside the
 * database; whoever can rewrite the database — rehashing every chain from genesis — cannot make it
 * agree with these heads without the private key, and cannot drop a line without breaking `prev`.
 */
export interface AnchorRecord {
  v: 1;
  /** 1, 2, … in the file. */
  n: number;
  at: string;
  node: string;
  prev: string;
  events: [from: number, to: number];
  heads: AnchoredHead[];
  sig: string;
}

export const FIRST_PREV = '0'.repeat(64);

export const lineHash = (line: string) => createHash('sha256').update(line).digest('hex');

/** The record's line (no newline): its fields with `sig` over the canonical JSON of all the others. */
export function signedLine(record: Omit<AnchorRecord, 'sig'>, privateKey: KeyObject): string {
  const sig = sign(null, Buffer.from(canonical(record)), privateKey).toString('base64');
  return JSON.stringify({ ...record, sig });
}

/** Something wrong with the anchor file or the log it anchors, in words. */
export interface Finding {
  kind: 'anchor-line' | 'chain' | 'rewritten' | 'deleted';
  callId?: string;
  line?: number;
  detail: string;
}

/**
 * Reads the anchor file's lines: each must parse, carry a valid signature, number on from the one
 * before and link to it. Returns the latest anchored head of every call (by seq) and what is wrong.
 * A bad line is reported and its heads are not trusted; the lines after it are still read.
 */
export function readAnchors(
  text: string,
  publicKey: KeyObject,
): { heads: Map<string, { seq: number; hash: string; line: number }>; lines: number; findings: Finding[] } {
  const heads = new Map<string, { seq: number; hash: string; line: number }>();
  const findings: Finding[] = [];
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  let prev = FIRST_PREV;
  lines.forEach((line, i) => {
    const at = i + 1;
    const bad = (detail: string) => findings.push({ kind: 'anchor-line', line: at, detail });
    let record: AnchorRecord;
    try {
      record = JSON.parse(line) as AnchorRecord;
    } catch {
      bad('not JSON');
      prev = lineHash(line);
      return;
    }
    const { sig, ...body } = record;
    const signed = typeof sig === 'string' && verify(null, Buffer.from(canonical(body)), publicKey, Buffer.from(sig, 'base64'));
    if (!signed) bad('the signature does not verify (the line was altered, or signed with another key)');
    else if (record.prev !== prev) bad(`does not link to the line before it (a line was removed, reordered or inserted)`);
    else if (record.n !== at) bad(`is checkpoint ${record.n}, expected ${at} (lines were removed from the start)`);
    prev = lineHash(line);
    if (!signed) return;
    for (const [callId, seq, hash] of record.heads) {
      const had = heads.get(callId);
      if (!had || seq >= had.seq) heads.set(callId, { seq, hash, line: at });
    }
  });
  return { heads, lines: lines.length, findings };
}
