/** The test OpenID Connect provider (test/support/oidc-provider-server.mjs) as a child process, for the SSO specs. */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT } from './server';

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
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('provider did not start')), 20_000);
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && (clearTimeout(timer), resolve()));
    child.on('exit', (code) => reject(new Error(`provider exited ${code}`)));
  });
  return child;
}
