#!/usr/bin/env node
// The floor for laihua's design on this machine: a bare `ws` server that appends one row per
// message to SQLite and replies only once the row is durable — nothing else. Same durability as
// the decision log (WAL, synchronous=FULL, group commit: the messages that arrive while a commit
// is being prepared share one transaction, ≤ 256 rows; no fixed wait when nothing is in flight;
// WAL auto-checkpoint off, a PASSIVE checkpoint every 2 s on a timer like WalCheckpointer).
//
// Speaks just enough of laihua's surface for bench/open-loop.mjs to drive it the same way:
// GET /api/health, POST /api/auth/login (any body → a dummy token), WebSocket on /ws. Every
// frame `{event, data: {requestId, ...}}` is answered with one `call.view` frame carrying its
// requestId, padded to REPLY_BYTES (the size of laihua's views, measured by the bench).
//
//   PORT=4100 HOST=127.0.0.1 DATA_DIR=/tmp/floor REPLY_BYTES=1500 node bench/baseline-server.mjs

import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const Database = createRequire(path.join(ROOT, 'package.json'))('better-sqlite3');

const PORT = Number(process.env.PORT ?? 4100);
const HOST = process.env.HOST ?? '127.0.0.1';
const DATA_DIR = process.env.DATA_DIR ?? path.join(ROOT, 'data-baseline');
const REPLY_BYTES = Number(process.env.REPLY_BYTES ?? 1500);
const SYNCHRONOUS = process.env.SQLITE_SYNCHRONOUS ?? 'FULL';
const MAX_BATCH = 256;

mkdirSync(DATA_DIR, { recursive: true });
const db = new Database(path.join(DATA_DIR, 'baseline.sqlite'));
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${SYNCHRONOUS}`);
db.pragma('wal_autocheckpoint = 0');
db.exec(
  'CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, conn INTEGER NOT NULL, request_id TEXT, event TEXT, payload TEXT NOT NULL, at TEXT NOT NULL)',
);
const insert = db.prepare('INSERT INTO messages (conn, request_id, event, payload, at) VALUES (?, ?, ?, ?, ?)');
const commit = db.transaction((batch) => {
  for (const m of batch) insert.run(m.conn, m.requestId, m.event, m.payload, m.at);
});
setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), 2000).unref();

let pending = [];
let scheduled = false;

function flush() {
  scheduled = false;
  while (pending.length) {
    const batch = pending.splice(0, MAX_BATCH);
    commit(batch); // durable from here: only now is anyone answered
    for (const m of batch) reply(m);
  }
}

const pad = 'x'.repeat(Math.max(0, REPLY_BYTES - 160));
function reply(m) {
  const { ws } = m;
  if (ws.readyState !== ws.OPEN) return;
  ws.seq = (ws.seq ?? 0) + 1;
  ws.callId ??= randomUUID();
  ws.send(
    JSON.stringify({ event: 'call.view', data: { requestId: m.requestId, callId: ws.callId, seq: ws.seq, status: 'active', step: { id: 'baseline' }, pad } }),
  );
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/api/health') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  } else if (req.method === 'POST' && req.url === '/api/auth/login') {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"baseline"}'));
  } else {
    res.writeHead(404).end();
  }
});
const wss = new WebSocketServer({ server, path: '/ws', maxPayload: 64 * 1024 });
let connections = 0;
wss.on('connection', (ws) => {
  const conn = ++connections;
  ws.on('message', (buf) => {
    const payload = buf.toString('utf8');
    let frame;
    try {
      frame = JSON.parse(payload);
    } catch {
      return;
    }
    pending.push({ ws, conn, requestId: frame?.data?.requestId ?? null, event: String(frame?.event), payload, at: new Date().toISOString() });
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  });
});
server.listen(PORT, HOST);

const stop = () => {
  wss.close();
  server.close();
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
  } catch {
    /* exiting anyway */
  }
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
