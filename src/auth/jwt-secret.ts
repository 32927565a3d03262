import type { DataSource } from 'typeorm';
import { storedSecret } from '../common/stored-secret';
import type { AppConfig } from '../config/app-config';

export const JWT_SECRET_FILE = 'jwt-secret';

/**
 * The HS256 key comes from configuration only: JWT_SECRET if set; otherwise one generated on first
 * start and kept (src/common/stored-secret.ts) — on SQLite in DATA_DIR/jwt-secret (mode 0600), so
 * tokens survive restarts; on PostgreSQL in `shared_secrets`, so every node on it signs and accepts
 * the same tokens (an agent's socket may land on any node). There is no built-in fallback key: a
 * short or empty secret stops the server.
 */
export async function resolveJwtSecret(config: AppConfig, dataSource: DataSource): Promise<string> {
  if (config.JWT_SECRET) return config.JWT_SECRET;
  return storedSecret({ name: 'jwt', file: JWT_SECRET_FILE, what: 'JWT secret' }, config, dataSource);
}
