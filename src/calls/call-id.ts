import { randomFillSync } from 'node:crypto';

/**
 * A new call's id: a UUID version 7 (RFC 9562 §5.7) — the call's start, in Unix milliseconds, in its
 * first 48 bits, then 74 random bits. Ids of calls begun together sort together, so the log's
 * indexes keyed by call (`calls`, `call_events (call_id, seq)`, `call_keys`, `call_outbox`) take the
 * live calls' entries in their newest pages: a commit dirties fewer pages (each one a write-ahead log
 * frame on SQLite), and the pages being written stay the same few however long the log's history
 * grows — random (version 4) ids scattered every event over the whole index, into pages that a log
 * of months no longer holds in memory. 74 random bits keep ids unguessable and unique across nodes.
 * (The `uuid` package has v7 too, but only ESM since version 12, which the CommonJS build and jest
 * cannot load.)
 */
export function newCallId(startedAt: string): string {
  const ms = Date.parse(startedAt);
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`newCallId: not a time: ${startedAt}`);
  const bytes = Buffer.from(randomIdBytes());
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (bytes[6] & 0x0f); // version 7
  bytes[8] = 0x80 | (bytes[8] & 0x3f); // variant 10 (RFC 9562)
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The random bytes are drawn 256 ids at a time, as Node's own `randomUUID` does: one
 * `randomFillSync` of 16 bytes cost ~5 µs here (a getrandom call each) and was 1 % of the main
 * thread's samples at 500 calls started a second; from the pool an id's bytes cost ~0.2 µs. The
 * bytes are the same CSPRNG's, each handed out once.
 */
const IDS_PER_DRAW = 256;
const pool = Buffer.alloc(16 * IDS_PER_DRAW);
let nextInPool = IDS_PER_DRAW;

function randomIdBytes(): Buffer {
  if (nextInPool === IDS_PER_DRAW) {
    randomFillSync(pool);
    nextInPool = 0;
  }
  const at = 16 * nextInPool++;
  return pool.subarray(at, at + 16);
}
