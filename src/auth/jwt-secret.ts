import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';

export const JWT_SECRET_FILE = 'jwt-secret';
/** 256 bits: HS256's key should be at least as long as its hash (RFC 7518 §3.2). */
const MIN_LENGTH = 32;

/**
 * The HS256 key comes from configuration only: JWT_SECRET if set; otherwise one generated on first
 * start (32 random bytes) and kept — on SQLite in DATA_DIR/jwt-secret (mode 0600), so tokens survive
 * restarts; on PostgreSQL in the database (`shared_secrets`), so every node on it signs and accepts
 * the same tokens (an agent's socket may land on any node). There is no built-in fallback key: a
 * short or empty stored secret stops the server.
 */
export async function resolveJwtSecret(config: AppConfig, dataSource: DataSource): Promise<string> {
  if (config.JWT_SECRET) return config.JWT_SECRET;
  if (config.usesPostgres) {
    // The first node to start stores its key; every other node (racing or later) reads that one.
    await dataSource.query(`INSERT INTO shared_secrets (name, value) VALUES ('jwt', $1) ON CONFLICT (name) DO NOTHING`, [randomBytes(32).toString('hex')]);
    const [row] = (await dataSource.query(`SELECT value FROM shared_secrets WHERE name = 'jwt'`)) as { value: string }[];
    return checked(row.value, 'the shared_secrets row "jwt"');
  }
  const file = path.resolve(config.DATA_DIR, JWT_SECRET_FILE);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(config.DATA_DIR, { recursive: true });
    try {
      fs.writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    } catch (e) {
      // Another process created it first: use theirs.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  return checked(fs.readFileSync(file, 'utf8').trim(), file);
}

function checked(secret: string, where: string): string {
  if (secret.length < MIN_LENGTH)
    throw new Error(`${where} holds a JWT secret shorter than ${MIN_LENGTH} characters; remove it to generate a new one, or set JWT_SECRET`);
  return secret;
}
