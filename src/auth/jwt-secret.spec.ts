import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { JWT_SECRET_FILE, resolveJwtSecret } from './jwt-secret';

/** SQLite mode never touches the database for the secret (PostgreSQL: jwt-secret.pg-spec.ts). */
const noDatabase = {} as DataSource;

describe('the JWT secret comes from configuration only', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'laihua-secret-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('JWT_SECRET wins, and nothing is written', async () => {
    const secret = 'x'.repeat(40);
    expect(await resolveJwtSecret(loadConfig({ DATA_DIR: dir, JWT_SECRET: secret }), noDatabase)).toBe(secret);
    expect(fs.existsSync(path.join(dir, JWT_SECRET_FILE))).toBe(false);
  });

  it('refuses a JWT_SECRET shorter than 256 bits', () => {
    expect(() => loadConfig({ DATA_DIR: dir, JWT_SECRET: 'x'.repeat(31) })).toThrow(/JWT_SECRET/);
  });

  it('otherwise generates 32 random bytes once into DATA_DIR (0600) and reuses them', async () => {
    const config = loadConfig({ DATA_DIR: path.join(dir, 'nested') });
    const first = await resolveJwtSecret(config, noDatabase);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    const file = path.join(dir, 'nested', JWT_SECRET_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(await resolveJwtSecret(config, noDatabase)).toBe(first);
    // Another data directory, another key.
    expect(await resolveJwtSecret(loadConfig({ DATA_DIR: path.join(dir, 'other') }), noDatabase)).not.toBe(first);
  });

  it('refuses an empty or short secret file instead of signing with it', async () => {
    fs.writeFileSync(path.join(dir, JWT_SECRET_FILE), 'short\n');
    await expect(resolveJwtSecret(loadConfig({ DATA_DIR: dir }), noDatabase)).rejects.toThrow(/shorter than 32/);
  });

  it('no source file embeds a signing key: JwtModule is configured from resolveJwtSecret alone', () => {
    const src = path.resolve(__dirname, '..');
    const offenders: string[] = [];
    const walk = (d: string) => {
      for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, entry.name);
        if (entry.isDirectory()) walk(p);
        else if (/\.ts$/.test(entry.name) && !entry.name.endsWith('.spec.ts')) {
          const text = fs.readFileSync(p, 'utf8');
          // A literal secret handed to jsonwebtoken / JwtModule / JwtService.
          if (/secret(OrPrivateKey)?\s*:\s*['"`]/.test(text) || /\.sign(Async)?\([^)]*,\s*['"`]/.test(text)) offenders.push(path.relative(src, p));
        }
      }
    };
    walk(src);
    expect(offenders).toEqual([]);
    expect(fs.readFileSync(path.join(src, 'auth', 'auth.module.ts'), 'utf8')).toMatch(
      /secret: createSecretKey\(Buffer\.from\(await resolveJwtSecret\(config, dataSource\)/,
    );
  });
});
