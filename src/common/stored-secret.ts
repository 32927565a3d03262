import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';

/** 256 bits: an HMAC key should be at least as long as its hash (RFC 2104 §3, RFC 7518 §3.2). */
export const MIN_SECRET_LENGTH = 32;

/** Where a generated secret is kept: SQLite in DATA_DIR/<file> (0600); PostgreSQL in `shared_secrets` under <name>. */
export interface SecretPlace {
  name: string;
  file: string;
  what: string;
}

/**
 * A secret generated on first start (32 random bytes, hex) and kept: on SQLite in a file of
 * DATA_DIR (mode 0600, beside the database, not in it), so it survives restarts; on PostgreSQL in
 * the database (`shared_secrets`), so every node on it uses the same one — the first node to start
 * stores its key, every other node (racing or later) reads that one. A short stored secret stops
 * the server rather than being used.
 */
export async function storedSecret(place: SecretPlace, store: { usesPostgres: boolean; DATA_DIR: string }, dataSource: DataSource): Promise<string> {
  if (store.usesPostgres) {
    await dataSource.query(`INSERT INTO shared_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [
      place.name,
      randomBytes(32).toString('hex'),
    ]);
    const [row] = (await dataSource.query(`SELECT value FROM shared_secrets WHERE name = $1`, [place.name])) as { value: string }[];
    return checkedSecret(row.value, `the shared_secrets row "${place.name}"`, place.what);
  }
  const file = path.resolve(store.DATA_DIR, place.file);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(store.DATA_DIR, { recursive: true });
    try {
      fs.writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    } catch (e) {
      // Another process created it first: use theirs.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  return checkedSecret(fs.readFileSync(file, 'utf8').trim(), file, place.what);
}

export function checkedSecret(secret: string, where: string, what: string): string {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`${where} holds a ${what} shorter than ${MIN_SECRET_LENGTH} characters; remove it to generate a new one`);
  }
  return secret;
}
