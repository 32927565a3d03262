import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AppConfig } from '../config/app-config';

export const JWT_SECRET_FILE = 'jwt-secret';
/** 256 bits: HS256's key should be at least as long as its hash (RFC 7518 §3.2). */
const MIN_LENGTH = 32;

/**
 * The HS256 key comes from configuration only: JWT_SECRET if set; otherwise one generated on first
 * start (32 random bytes) and kept in DATA_DIR/jwt-secret (mode 0600), so tokens survive restarts.
 * There is no built-in fallback key: a short or empty secret file stops the server.
 */
export function resolveJwtSecret(config: AppConfig): string {
  if (config.JWT_SECRET) return config.JWT_SECRET;
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
  const secret = fs.readFileSync(file, 'utf8').trim();
  if (secret.length < MIN_LENGTH)
    throw new Error(`${file} holds a JWT secret shorter than ${MIN_LENGTH} characters; remove it to generate a new one, or set JWT_SECRET`);
  return secret;
}
