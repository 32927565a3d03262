/** Starts test/support/reference-backend.mjs (the operator API the HTTP adapter is tested against) as a child process. */
import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT } from './server';

export interface ReferenceBackend {
  url: string;
  process: ChildProcess;
  /** ok | slow | failing | flapping | malformed | lost-reply (see the .mjs). */
  control(body: { mode: string; slowMs?: number }): Promise<void>;
  stats(): Promise<{ requests: number; acted: Record<string, number> }>;
  stop(): void;
}

export async function startReferenceBackend(env: Record<string, string> = {}): Promise<ReferenceBackend> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'test/support/reference-backend.mjs')], {
    env: { ...process.env, REF_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = out.match(/listening (\d+)/);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`reference back end exited ${code}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    process: child,
    control: async (body) => {
      const res = await fetch(`${url}/_control`, { method: 'POST', body: JSON.stringify(body) });
      if (res.status !== 200) throw new Error(`reference back end control: HTTP ${res.status}`);
    },
    stats: async () => (await (await fetch(`${url}/_stats`)).json()) as { requests: number; acted: Record<string, number> },
    stop: () => void child.kill('SIGKILL'),
  };
}
