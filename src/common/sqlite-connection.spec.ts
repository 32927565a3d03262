import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { prepareWritingConnection, WRITING_CONNECTION_CACHE_KIB } from './sqlite-connection';

describe('prepareWritingConnection', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'laihua-conn-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("bounds the connection's page cache below better-sqlite3's 16 MB default and keeps durability, checkpoints and foreign keys as set", () => {
    const db = new Database(path.join(dir, 'x.sqlite'));
    try {
      expect(db.pragma('cache_size', { simple: true })).toBe(-16000);
      prepareWritingConnection(db, 'FULL');
      expect(db.pragma('cache_size', { simple: true })).toBe(-WRITING_CONNECTION_CACHE_KIB);
      expect(WRITING_CONNECTION_CACHE_KIB).toBeLessThan(16000);
      expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    } finally {
      db.close();
    }
  });

  it('takes the configured durability', () => {
    const db = new Database(path.join(dir, 'y.sqlite'));
    try {
      prepareWritingConnection(db, 'NORMAL');
      expect(db.pragma('synchronous', { simple: true })).toBe(1);
    } finally {
      db.close();
    }
  });
});
