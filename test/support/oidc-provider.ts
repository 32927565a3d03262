/** The test OpenID Connect provider (test/support/oidc-provider-server.mjs) as a child process, for the SSO specs. */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { freePorts, REPO_ROOT, type TestServer } from './server';

/** The provider's accounts (any password at its login form) and their groups. */
export const ACCOUNTS = {
  agent1: { groups: ['hl-agents'] },
  agent2: { groups: ['hl-agents', 'hl-leads'] },
  qa1: { groups: ['hl-qa'] },
  admin1: { groups: ['hl-admins'] },
  stranger: { groups: ['hl-agents'] },
};

/** One provider process; TAMPER: what it does to the ID tokens it issues. */
export async function startProvider(port: number, redirectUri: string, tamper = ''): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'test/support/oidc-provider-server.mjs'), String(port), redirectUri, JSON.stringify(ACCOUNTS)], {
    env: { ...process.env, TAMPER: tamper },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('provider did not start')), 20_000);
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && (clearTimeout(timer), resolve()));
    child.on('exit', (code) => reject(new Error(`provider exited ${code}: ${stderr}`)));
  });
  return child;
}

/**
 * A provider and a laihua server (`start`, on `laihuaPort`) that must know each other's ports before
 * either listens. Both ports are found together, so they differ; should either be taken before its
 * process listens on it (by a listen of the other Jest worker: EADDRINUSE), both start again on others.
 */
export async function startWithProvider(
  tamper: string,
  start: (ports: { laihuaPort: number; providerPort: number; redirectUri: string }) => Promise<TestServer>,
): Promise<{ provider: ChildProcess; server: TestServer }> {
  for (let attempt = 1; ; attempt++) {
    const [laihuaPort, providerPort] = await freePorts(2);
    const redirectUri = `http://127.0.0.1:${laihuaPort}/api/auth/oidc/callback`;
    let provider: ChildProcess | undefined;
    try {
      provider = await startProvider(providerPort, redirectUri, tamper);
      return { provider, server: await start({ laihuaPort, providerPort, redirectUri }) };
    } catch (e) {
      provider?.kill();
      if (attempt >= 5 || !/EADDRINUSE/.test((e as Error).message)) throw e;
    }
  }
}

/**
 * laihua's settings for the test provider on `providerPort` (client `laihua`, roles from the `groups`
 * claim): what each spec differs by is its role map and whether local passwords stay on.
 */
export function providerEnv(
  { providerPort, redirectUri }: { providerPort: number; redirectUri: string },
  roleMap: Record<string, string>,
  localPasswords: boolean,
): Record<string, string> {
  return {
    OIDC_ISSUER: `http://127.0.0.1:${providerPort}`,
    OIDC_CLIENT_ID: 'laihua',
    OIDC_CLIENT_SECRET: 'laihua-test-secret',
    OIDC_REDIRECT_URI: redirectUri,
    OIDC_PROVIDER_NAME: 'Test IdP',
    OIDC_ROLES_CLAIM: 'groups',
    OIDC_ROLE_MAP: JSON.stringify(roleMap),
    LOCAL_PASSWORDS: String(localPasswords),
  };
}
