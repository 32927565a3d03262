/**
 * A throwaway PostgreSQL cluster for the e2e-pg project and the PostgreSQL specs: Debian's server
 * binaries, initdb in a temp dir, started with pg_ctl on a free port (loopback and a socket in the
 * same dir), stopped and removed at the end. As root the server runs as the `postgres` user (it
 * refuses root); otherwise as the current user.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface PgCluster {
  dir: string;
  port: number;
  /** Superuser URL of the cluster's `postgres` database. */
  url: string;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin/initdb'))) : [];
  if (!versions.length) throw new Error('PostgreSQL server binaries not found: run test/support/ensure-postgres.sh');
  return path.join(root, versions.sort((a, b) => Number(b) - Number(a))[0], 'bin');
}

const asRoot = () => process.getuid?.() === 0;

function run(bin: string, args: string[]): string {
  const [cmd, argv] = asRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startPgCluster(): Promise<PgCluster> {
  const bin = binDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'laihua-pg-'));
  if (asRoot()) execFileSync('chown', ['postgres:postgres', dir]);
  const data = path.join(dir, 'data');
  run(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8']);
  const port = await freePort();
  const opts = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c max_connections=300',
    '-c shared_buffers=64MB',
    // pg_stat_statements: the per-decision cost measurement (docs/SCALE-OUT.md) reads it.
    '-c shared_preload_libraries=pg_stat_statements',
  ].join(' ');
  run(path.join(bin, 'pg_ctl'), ['-D', data, '-o', opts, '-l', path.join(dir, 'log'), '-w', '-t', '60', 'start']);
  return { dir, port, url: `postgres://postgres@127.0.0.1:${port}/postgres` };
}

export function stopPgCluster(dir: string): void {
  try {
    run(path.join(binDir(), 'pg_ctl'), ['-D', path.join(dir, 'data'), '-m', 'fast', '-w', 'stop']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The URL of database `name` on the cluster whose superuser URL is `url`. */
export function databaseUrl(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
