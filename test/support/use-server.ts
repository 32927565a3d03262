/**
 * The one way an end-to-end or browser spec gets a real server: `useServer()` registers the Jest
 * hooks that start the built server (dist/main.js) as a child process on a free port with a temp
 * DATA_DIR, log in the users the spec names, open WebSockets for it and close them, and stop the
 * server and remove its data at the end. The spec reads the server through the returned fixture,
 * which always points at the current process (restarts included).
 */
import { CallDriver } from './flow';
import { login } from './http';
import { startServer, type StartServerOptions, type TestServer } from './server';
import { WsClient } from './ws-client';

/** A backstop only: startServer gives up after its own readyTimeoutMs with the server's output. */
const HOOK_TIMEOUT_MS = 150_000;

export interface UseServerOptions extends StartServerOptions {
  /** Users logged in once the server is up: their tokens are in `server.tokens` (default: none). */
  users?: string[];
  /** The locale `connect`/`driver` open WebSockets with when the call names none (default: none). */
  locale?: string;
  /**
   * `'shared'` (default): one server for the tests of the describe block, started in beforeAll and
   * stopped in afterAll. `'per-test'`: nothing runs before a test; each test starts its own server
   * with `server.start()`, killed (SIGKILL) and removed after the test.
   */
  lifetime?: 'shared' | 'per-test';
  /** How a shared server ends: SIGTERM and wait (default), or SIGKILL (servers still busy with hung back-end calls). */
  stopWith?: 'SIGTERM' | 'SIGKILL';
}

export interface ServerFixture extends Omit<TestServer, 'cleanup'> {
  /** The tokens of the users logged in so far (those of `users`, then any `login`/`connect` added), by username. */
  readonly tokens: Record<string, string>;
  /** Logs the user in (POST /api/auth/login) and keeps the token in `tokens`. */
  login(user: string, password?: string): Promise<string>;
  /** The user's token: the one in `tokens`, else a login. */
  token(user: string): Promise<string>;
  /**
   * A WebSocket as `user` (logged in on first use), in `locale` (default: the useServer locale).
   * Closed by the fixture: after the test that opened it, or after all tests when opened in a beforeAll.
   */
  connect(user?: string, locale?: string, timeoutMs?: number): Promise<WsClient>;
  /** A CallDriver on a new `connect(user, locale)`. */
  driver(user?: string, locale?: string): Promise<CallDriver>;
  /** Starts a server (per-test lifetime; options merged over the useServer ones, env included). */
  start(overrides?: StartServerOptions): Promise<ServerFixture>;
  /**
   * Stops the server with `signal` (SIGTERM and wait by default; nothing when it is already down)
   * and starts it again on the same DATA_DIR. `env` replaces the extra environment of the last start.
   */
  restart(opts?: { signal?: 'SIGTERM' | 'SIGKILL'; env?: Record<string, string> }): Promise<ServerFixture>;
}

/** Registers the hooks for one server (see UseServerOptions.lifetime); options may be built in beforeAll. */
export function useServer(options: UseServerOptions | (() => UseServerOptions) = {}): ServerFixture {
  return serverHooks(options);
}

/** useServer with work done while the server starts (in parallel) and before it stops: for useBrowserSuite. */
export function serverHooks(
  options: UseServerOptions | (() => UseServerOptions),
  alongside: { start?: () => Promise<unknown>; stop?: () => Promise<unknown> } = {},
): ServerFixture {
  let base: UseServerOptions | undefined;
  const resolved = () => (base ??= typeof options === 'function' ? options() : options);
  let current: TestServer | undefined;
  let last: StartServerOptions = {};
  const started: TestServer[] = [];
  const tokens: Record<string, string> = {};
  const suiteClients: WsClient[] = [];
  const testClients: WsClient[] = [];
  let inTest = false;

  const running = (): TestServer => {
    if (!current) throw new Error('useServer: no server yet (a per-test server is started with server.start())');
    return current;
  };
  const launch = async (opts: StartServerOptions): Promise<TestServer> => {
    const { dataDir, env, readyTimeoutMs, demoData, flowsDir, users = [] } = resolved();
    last = { dataDir, readyTimeoutMs, demoData, flowsDir, ...opts, env: { ...env, ...opts.env } };
    // Tokens are signed with a secret kept in DATA_DIR: they survive a restart, not a new data directory.
    if (!current || last.dataDir !== current.dataDir) for (const user of Object.keys(tokens)) delete tokens[user];
    current = await startServer(last);
    started.push(current);
    for (const user of users) if (!tokens[user]) tokens[user] = await login(current.baseUrl, user);
    return current;
  };
  const closeClients = (clients: WsClient[]) => Promise.all(clients.splice(0).map((c) => c.close()));
  const end = async (signal: 'SIGTERM' | 'SIGKILL') => {
    const servers = started.splice(0);
    await Promise.all(servers.map((s) => (signal === 'SIGTERM' ? s.stop() : s.kill('SIGKILL'))));
    for (const s of servers) s.cleanup();
    current = undefined;
  };

  const fixture: ServerFixture = {
    get port() {
      return running().port;
    },
    get baseUrl() {
      return running().baseUrl;
    },
    get dataDir() {
      return running().dataDir;
    },
    get logFile() {
      return running().logFile;
    },
    get exited() {
      return running().exited;
    },
    output: () => running().output(),
    kill: (signal) => running().kill(signal),
    signal: (signal) => running().signal(signal),
    get exitStatus() {
      return running().exitStatus;
    },
    stop: () => running().stop(),
    pause: () => running().pause(),
    resume: () => running().resume(),
    tokens,
    async login(user, password) {
      tokens[user] = await login(running().baseUrl, user, password);
      return tokens[user];
    },
    async token(user) {
      return tokens[user] ?? fixture.login(user);
    },
    async connect(user = 'agent1', locale = resolved().locale, timeoutMs) {
      const client = await WsClient.connect(running().port, await fixture.token(user), locale, timeoutMs);
      (inTest ? testClients : suiteClients).push(client);
      return client;
    },
    async driver(user, locale) {
      return new CallDriver(await fixture.connect(user, locale));
    },
    async start(overrides = {}) {
      if (resolved().lifetime !== 'per-test') throw new Error('useServer: server.start() is for the per-test lifetime');
      await launch(overrides);
      return fixture;
    },
    async restart({ signal = 'SIGTERM', env } = {}) {
      const server = running();
      if (!server.exited) await (signal === 'SIGTERM' ? server.stop() : server.kill('SIGKILL'));
      await launch({ ...last, dataDir: server.dataDir, env: env ?? last.env });
      return fixture;
    },
  };

  beforeAll(async () => {
    if (resolved().lifetime === 'per-test') return;
    await Promise.all([launch({}), alongside.start?.()]);
  }, HOOK_TIMEOUT_MS);
  beforeEach(() => {
    inTest = true;
  });
  afterEach(async () => {
    inTest = false;
    await closeClients(testClients);
    if (base?.lifetime === 'per-test') await end('SIGKILL');
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await closeClients(suiteClients);
    await alongside.stop?.();
    await end(base?.stopWith ?? 'SIGTERM');
  }, HOOK_TIMEOUT_MS);
  return fixture;
}
