import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

/**
 * Jest globalSetup for the e2e project: always builds the server and the agent screen (dist/main.js and web/dist are what the
 * suite runs), failing the whole run with the compiler's output if the build fails.
 */
export default function globalSetup(): void {
  const root = path.resolve(__dirname, '../..');
  const started = Date.now();
  const res = spawnSync('npm', ['run', 'build'], {
    cwd: root,
    encoding: 'utf8',
    env: process.env,
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${res.stdout ?? ''}${res.stderr ?? ''}`.trim();
  if (res.error || res.status !== 0) {
    throw new Error(
      `e2e global setup: \`npm run build\` failed in ${root} ` +
        `(status ${res.status}, signal ${res.signal}${res.error ? `, ${res.error.message}` : ''})\n${output}`,
    );
  }
  if (process.env.E2E_VERBOSE) {
    process.stderr.write(`\n[e2e] build done in ${Date.now() - started} ms\n`);
  }
}
