// A throwaway PostgreSQL cluster for the benches (the same as test/support/pg-cluster.ts, in plain
// JavaScript): Debian's server binaries, initdb in a temp dir, started on a free port, removed at the
// end; its processes are found for the CPU accounting (the postmaster and its children).

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { freePort } from './harness.mjs';

function binDir() {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin/initdb'))) : [];
  if (!versions.length) throw new Error('PostgreSQL server binaries not found: run test/support/ensure-postgres.sh');
  return path.join(root, versions.sort((a, b) => Number(b) - Number(a))[0], 'bin');
}

const asRoot = () => process.getuid?.() === 0;
const run = (bin, args) =>
  asRoot()
    ? execFileSync('runuser', ['-u', 'postgres', '--', bin, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120000 })
    : execFileSync(bin, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120000 });

/** Starts a cluster; `url` is its superuser URL (database `postgres`). */
export async function startPgCluster() {
  const bin = binDir();
  const dir = mkdtempSync(path.join(tmpdir(), 'laihua-bench-pg-'));
  if (asRoot()) execFileSync('chown', ['postgres:postgres', dir]);
  const data = path.join(dir, 'data');
  run(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8']);
  const port = await freePort();
  const o = [`-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1', '-c max_connections=300', '-c shared_buffers=128MB'].join(' ');
  run(path.join(bin, 'pg_ctl'), ['-D', data, '-o', o, '-l', path.join(dir, 'log'), '-w', '-t', '60', 'start']);
  const postmaster = Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  return {
    dir,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    /** The postmaster and every process it started (backends, WAL writer, checkpointer …) right now. */
    pids() {
      const out = [postmaster];
      for (const d of readdirSync('/proc')) {
        if (!/^\d+$/.test(d)) continue;
        try {
          const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
          if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster) out.push(Number(d));
        } catch {
          // gone meanwhile
        }
      }
      return out;
    },
    stop() {
      try {
        run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
