import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

/**
 * Jest globalSetup for the e2e project: always builds the server (dist/main.js is what the
 * suite runs), failing the whole run with the compiler's output if the build fails.
 */
export default function globalSetup(): void {
  const root = path.resolve(__dirname, '../..');
  const started = Date.now();
  const res = spawnSync('npx', ['nest', 'build'], {
    cwd: root,
    encoding: 'utf8',
    env: process.env,
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${res.stdout ?? ''}${res.stderr ?? ''}`.trim();
  if (res.error || res.status !== 0) {
    throw new Error(
      `e2e global setup: \`npx nest build\` failed in ${root} ` +
        `(status ${res.status}, signal ${res.signal}${res.error ? `, ${res.error.message}` : ''})\n${output}`,
    );
  }
  if (process.env.E2E_VERBOSE) {
    process.stderr.write(`\n[e2e] nest build done in ${Date.now() - started} ms\n`);
  }
}
