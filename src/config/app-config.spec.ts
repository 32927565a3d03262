import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('applies the embedded defaults', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATA_DIR).toBe('./data');
    expect(config.DEMO_DATA).toBe(true);
    expect(config.BACKEND_TIMEOUT_MS).toBe(10_000);
    expect(config.databaseFile.endsWith('laihua.sqlite')).toBe(true);
  });

  it('parses numbers and booleans from strings', () => {
    const config = loadConfig({ PORT: '4100', DEMO_DATA: 'false', BACKEND_TIMEOUT_MS: '800' });
    expect(config.PORT).toBe(4100);
    expect(config.DEMO_DATA).toBe(false);
    expect(config.BACKEND_TIMEOUT_MS).toBe(800);
  });

  it('refuses a bad environment naming every bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', SQLITE_SYNCHRONOUS: 'OFF', JWT_SECRET: 'short' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', SQLITE_SYNCHRONOUS: 'OFF', JWT_SECRET: 'short' });
    } catch (e) {
      expect((e as Error).message).toMatch(/PORT/);
      expect((e as Error).message).toMatch(/SQLITE_SYNCHRONOUS/);
      expect((e as Error).message).toMatch(/JWT_SECRET/);
    }
  });

  it('reads TRUSTED_PROXIES as a list of addresses, CIDRs and named ranges, and refuses anything else', () => {
    expect(loadConfig({}).TRUSTED_PROXIES).toEqual([]);
    expect(loadConfig({ TRUSTED_PROXIES: ' 10.0.0.5, 10.1.0.0/16,loopback , fd00::/8' }).TRUSTED_PROXIES).toEqual([
      '10.0.0.5',
      '10.1.0.0/16',
      'loopback',
      'fd00::/8',
    ]);
    expect(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.5, everyone' })).toThrow(/TRUSTED_PROXIES/);
    expect(() => loadConfig({ TRUSTED_PROXIES: 'true' })).toThrow(/TRUSTED_PROXIES/);
  });

  it('SSO: needs the client registration, JSON maps to laihua roles, and a provider before local passwords can go off', () => {
    const sso = {
      OIDC_ISSUER: 'https://sso.example.cn/realms/x',
      OIDC_CLIENT_ID: 'laihua',
      OIDC_CLIENT_SECRET: 'secret-value',
      OIDC_REDIRECT_URI: 'https://laihua.example.cn/api/auth/oidc/callback',
    };
    expect(loadConfig({ ...sso, LOCAL_PASSWORDS: 'false', OIDC_ROLE_MAP: '{"g1":"agent"}' }).LOCAL_PASSWORDS).toBe(false);
    expect(() => loadConfig({ OIDC_ISSUER: sso.OIDC_ISSUER })).toThrow(
      /OIDC_CLIENT_ID: required[\s\S]*OIDC_CLIENT_SECRET: required[\s\S]*OIDC_REDIRECT_URI: required/,
    );
    expect(() => loadConfig({ ...sso, OIDC_ROLE_MAP: '{"g1":"boss"}' })).toThrow(/unknown laihua roles boss/);
    expect(() => loadConfig({ ...sso, OIDC_TEAM_MAP: '["north"]' })).toThrow(/OIDC_TEAM_MAP: a JSON object/);
    expect(() => loadConfig({ LOCAL_PASSWORDS: 'false' })).toThrow(/LOCAL_PASSWORDS=false: needs OIDC_ISSUER/);
    expect(() => loadConfig({ ...sso, OIDC_REDIRECT_URI: 'https://laihua.example.cn/elsewhere' })).toThrow(/OIDC_REDIRECT_URI/);
    expect(() => loadConfig({ ...sso, OIDC_SCOPES: 'profile email' })).toThrow(/OIDC_SCOPES/);
  });

  it('takes PostgreSQL from DATABASE_URL, SQLite without it, and never echoes a bad URL', () => {
    expect(loadConfig({}).usesPostgres).toBe(false);
    const pg = loadConfig({ DATABASE_URL: 'postgres://laihua:secret@db.example:5432/laihua' });
    expect(pg.usesPostgres).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'postgresql://127.0.0.1/laihua?sslmode=require' }).usesPostgres).toBe(true);
    for (const bad of ['mysql://u:secret@h/db', 'postgres://u:secret@h', 'secret']) {
      expect(() => loadConfig({ DATABASE_URL: bad })).toThrow(/DATABASE_URL must be postgres:/);
      try {
        loadConfig({ DATABASE_URL: bad });
      } catch (e) {
        expect((e as Error).message).not.toMatch(/secret/);
      }
    }
  });

  it('production starts without demo users unless they are asked for; a heartbeat longer than half the lease is refused', () => {
    expect(loadConfig({}).DEMO_DATA).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).DEMO_DATA).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', DEMO_DATA: 'true' }).DEMO_DATA).toBe(true);
    expect(loadConfig({ CLUSTER_LEASE_MS: '3000', CLUSTER_HEARTBEAT_MS: '1500' }).CLUSTER_HEARTBEAT_MS).toBe(1500);
    expect(() => loadConfig({ CLUSTER_LEASE_MS: '3000', CLUSTER_HEARTBEAT_MS: '1600' })).toThrow(/CLUSTER_HEARTBEAT_MS=1600: must be at most half/);
  });
});
