/**
 * The built server (dist/main.js, built by the e2e globalSetup) as a child process: started on a
 * free port with a temp DATA_DIR and waited for (startServer — specs get it through useServer()),
 * or booted expecting it to refuse bad configuration (bootExpectingFailure).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { dropServerDatabase, pgMode, serverDatabase } from './pg-database';

export const REPO_ROOT = path.resolve(__dirname, '../..');
const LOG_DIR = path.join(os.tmpdir(), 'laihua-e2e-logs');
const MAX_CAPTURE = 256 * 1024;

export interface StartServerOptions {
  /** Reuse a data directory (crash recovery); default: a fresh mkdtemp directory. */
  dataDir?: string;
  /** Extra environment variables for the server process. */
  env?: Record<string, string>;
  /** How long to wait for /api/health (default 45 s: a boot on a loaded 2-core box once took more than 20 s). */
  readyTimeoutMs?: number;
  /** Seed the demo users and customers (DEMO_DATA; default true). */
  demoData?: boolean;
  /** Listen on this port (default: a free one); for a server whose URL another process must know first (SSO's redirect URI). */
  port?: number;
  /** Load the flows from this directory (FLOWS_DIR; default the repository's flows/). */
  flowsDir?: string;
}

export interface TestServer {
  port: number;
  baseUrl: string;
  dataDir: string;
  /** Where the child's stdout + stderr are written (kept after the run). */
  logFile: string;
  /** The captured child output so far (last 256 KiB). */
  output(): string;
  /** True once the process has exited. */
  readonly exited: boolean;
  /** Send a signal (SIGKILL by default) and wait for the process to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Send a signal the server is expected to survive (a diagnostic one); nothing waits. */
  signal(signal: NodeJS.Signals): void;
  /** How the process ended (`code 0, signal null`), or null while it runs. */
  readonly exitStatus: string | null;
  /** SIGTERM, then wait for exit (SIGKILL after 10 s). */
  stop(): Promise<void>;
  /** SIGSTOP: the process freezes (its sockets and database connections stay open); `resume` sends SIGCONT. */
  pause(): void;
  resume(): void;
  /** Remove the data directory if this server created it (unless E2E_KEEP_DATA is set). */
  cleanup(): void;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last line of defence: never leak a server if Jest dies or forgets to call afterAll.
  process.on('exit', () => {
    for (const child of live) {
      try {
        child.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    }
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      if (addr === null || typeof addr === 'string') {
        srv.close();
        reject(new Error('could not get a free port'));
        return;
      }
      const port = addr.port;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * `n` free ports, distinct: all are held while the others are found (freePort() twice in a row can be
 * given the same port again, the first being free once more).
 */
export async function freePorts(n: number): Promise<number[]> {
  const held: net.Server[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const srv = net.createServer();
      held.push(srv);
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(0, '127.0.0.1', () => resolve());
      });
    }
    return held.map((srv) => (srv.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(held.map((srv) => new Promise((resolve) => srv.close(resolve))));
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Whether process `pid` holds a socket listening on `port` (Linux: /proc). The port freePort() found
 * is free again until the server listens on it, seconds later: another worker's server can take it
 * meanwhile, and then answer this one's health checks. Without /proc, cannot tell: true.
 */
function listensOn(pid: number | undefined, port: number): boolean {
  if (pid === undefined) return false;
  let tables: string[];
  try {
    tables = ['/proc/net/tcp', '/proc/net/tcp6'].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f, 'utf8'));
  } catch {
    return true;
  }
  if (!tables.length) return true;
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const listening = new Set<string>();
  for (const line of tables.flatMap((t) => t.split('\n').slice(1))) {
    const fields = line.trim().split(/\s+/);
    // local_address (addr:port in hex), st (0A = LISTEN), inode.
    if (fields.length > 9 && fields[1].endsWith(hexPort) && fields[3] === '0A') listening.add(fields[9]);
  }
  if (!listening.size) return false;
  try {
    return fs.readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return listening.has(/^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1] ?? '');
      } catch {
        return false; // closed meanwhile
      }
    });
  } catch {
    return false;
  }
}

/**
 * Starts the server on a free port, again on another one should the port have been taken between
 * freePort() and the server's listen (EADDRINUSE): by a server of the other Jest worker, say.
 */
export async function startServer(opts: StartServerOptions = {}): Promise<TestServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startServerOnce(opts);
    } catch (e) {
      if (opts.port !== undefined || attempt >= 5 || !/EADDRINUSE/.test((e as Error).message)) throw e;
    }
  }
}

async function startServerOnce(opts: StartServerOptions): Promise<TestServer> {
  installExitHook();
  const mainJs = path.join(REPO_ROOT, 'dist', 'main.js');
  if (!fs.existsSync(mainJs)) {
    throw new Error(`${mainJs} does not exist: did the e2e globalSetup (nest build) run?`);
  }
  const ownsDataDir = !opts.dataDir;
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'laihua-e2e-'));
  fs.mkdirSync(dataDir, { recursive: true });
  // e2e-pg: the server's store is its own database on the throwaway cluster.
  // A restart on the same data directory is the same node (a stable NODE_ID, as production should give
  // each node): its earlier run's calls are recovered at boot, not after that run's lease runs out.
  const pg = pgMode() && !opts.env?.DATABASE_URL ? { DATABASE_URL: await serverDatabase(dataDir) } : {};
  const nodeId = pgMode() ? { NODE_ID: `node-${path.basename(dataDir).replace(/[^A-Za-z0-9._-]/g, '-')}` } : {};
  const port = opts.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const logFile = path.join(LOG_DIR, `server-${port}-${Date.now()}.log`);
  const log = fs.createWriteStream(logFile);

  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NODE_ENV: process.env.NODE_ENV ?? 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DEMO_DATA: String(opts.demoData ?? true),
      BACKEND_TIMEOUT_MS: '800',
      SIM_LATENCY_MS: '5',
      LOG_LEVEL: 'warn',
      // Specs drive many calls per user at once (load, crash-kill); the specs of the caps set them.
      MAX_LIVE_CALLS_PER_AGENT: '1000',
      WS_MAX_CONNECTIONS_PER_USER: '1000',
      VERIFY_MAX_FAILURES_PER_SUBSCRIBER: '1000000',
      ...(opts.flowsDir ? { FLOWS_DIR: opts.flowsDir } : {}),
      ...nodeId,
      ...pg,
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);

  let captured = '';
  const capture = (chunk: Buffer) => {
    const s = chunk.toString('utf8');
    captured = (captured + s).slice(-MAX_CAPTURE);
    log.write(chunk);
    if (process.env.E2E_SERVER_OUTPUT) process.stderr.write(`[server:${port}] ${s}`);
  };
  child.stdout!.on('data', capture);
  child.stderr!.on('data', capture);

  let ready = false;
  let exited = false;
  let expectedExit = false;
  let exitDescription = '';
  const exitPromise = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = true;
      exitDescription = `code ${code}, signal ${signal}`;
      live.delete(child);
      if (!expectedExit && ready) {
        // The server died under a test: say so loudly, with its last words.
        // eslint-disable-next-line no-console
        console.error(`[e2e] server on port ${port} exited unexpectedly (${exitDescription}); log: ${logFile}\n` + captured.slice(-8000));
      }
      log.end(() => resolve());
    });
  });
  const spawnError = new Promise<Error>((resolve) => child.on('error', (e) => resolve(e)));

  const waitForExit = async (signal: NodeJS.Signals, graceMs?: number) => {
    expectedExit = true;
    if (!exited) {
      try {
        child.kill(signal);
      } catch {
        /* already gone */
      }
      if (graceMs !== undefined) {
        const t = setTimeout(() => {
          if (!exited) child.kill('SIGKILL');
        }, graceMs);
        await exitPromise;
        clearTimeout(t);
      } else {
        await exitPromise;
      }
    }
  };

  const server: TestServer = {
    port,
    baseUrl,
    dataDir,
    logFile,
    output: () => captured,
    get exited() {
      return exited;
    },
    kill: (signal: NodeJS.Signals = 'SIGKILL') => waitForExit(signal),
    signal: (signal: NodeJS.Signals) => void child.kill(signal),
    get exitStatus() {
      return exited ? exitDescription : null;
    },
    stop: () => {
      if (!exited) child.kill('SIGCONT');
      return waitForExit('SIGTERM', 10_000);
    },
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    cleanup: () => {
      if (process.env.E2E_KEEP_DATA) return;
      if (ownsDataDir) fs.rmSync(dataDir, { recursive: true, force: true });
      if (ownsDataDir && pg.DATABASE_URL) void dropServerDatabase(dataDir).catch(() => undefined);
      // Keep logs that say something (warnings, crashes); drop empty ones.
      try {
        if (exited && fs.statSync(logFile).size === 0) fs.rmSync(logFile, { force: true });
      } catch {
        /* already gone */
      }
    },
  };

  // Poll /api/health until 200, the child exits, or the ready timeout passes.
  const readyTimeoutMs = opts.readyTimeoutMs ?? 45_000;
  const deadline = Date.now() + readyTimeoutMs;
  let lastProblem = 'no attempt yet';
  let failure: Error | undefined;
  const early = Promise.race([
    exitPromise.then(() => 'exit' as const),
    spawnError.then((e) => {
      failure = e;
      return 'error' as const;
    }),
  ]);
  let earlyResult: 'exit' | 'error' | undefined;
  void early.then((r) => (earlyResult = r));

  const giveUp = async (message: string): Promise<never> => {
    await waitForExit('SIGKILL');
    server.cleanup();
    throw new Error(message);
  };

  while (!ready) {
    if (earlyResult === 'exit') {
      await giveUp(`laihua server exited before it was ready (${exitDescription}); log: ${logFile}\n${captured}`);
    }
    if (earlyResult === 'error') {
      await giveUp(`could not spawn laihua server: ${failure?.message}`);
    }
    if (Date.now() > deadline) {
      await giveUp(`laihua server not ready after ${readyTimeoutMs / 1000} s (last health check: ${lastProblem}); log: ${logFile}\n${captured}`);
    }
    try {
      const res = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status === 200 && listensOn(child.pid, port)) ready = true;
      else lastProblem = res.status === 200 ? `HTTP 200 from another process on port ${port}` : `HTTP ${res.status}`;
    } catch (e) {
      lastProblem = (e as Error).message;
    }
    if (!ready) await sleep(100);
  }
  return server;
}

/** Starts `node dist/main.js` expecting it to refuse to start; returns its exit code and output. */
export function bootExpectingFailure(env: Record<string, string>): { status: number | null; output: string } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'laihua-boot-'));
  const result = spawnSync(process.execPath, ['dist/main.js'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  fs.rmSync(dataDir, { recursive: true, force: true });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
