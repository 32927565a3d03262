import 'reflect-metadata';
import { createRootLogger } from './common/logger';
import { loadConfig } from './config/app-config';
import { prefetchRecoveryRead } from './decision-log/recovery-prefetch';

/**
 * The process: the environment checked first, then the server's code loaded (serve.ts) — about a
 * second, during which a restart's reading of the live calls' logs has already begun on another core.
 */
async function main(): Promise<void> {
  const level = process.env.LOG_LEVEL ?? 'info';
  const root = createRootLogger(level);
  try {
    const env = loadConfig(); // refuse a bad environment before anything starts
    // Every file the server creates (SQLite and its -wal/-shm, keys, anchors) is readable by its owner only.
    process.umask(0o077);
    if (!env.usesPostgres) prefetchRecoveryRead(env.databaseFile);
    // Required only now, once the read has begun (an import would load the server's code before it).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { serve } = require('./serve') as typeof import('./serve.js');
    await serve(root, env);
  } catch (e) {
    // A bad flow file or environment stops the server with the reason, not a stack of framework frames.
    root.fatal((e as Error).message);
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 100).unref();
  }
}

void main();
