import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';
import * as path from 'node:path';
import { AbuseLimits } from './abuse-limits';
import { ssoProblems } from './integration-settings';
import { toInt } from './store-settings';

const toBool = ({ value }: { value: unknown }) => (value === undefined ? undefined : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase()));
const toNumber = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

/** A trusted proxy: an IPv4 or IPv6 address with an optional prefix length, or one of Express's named ranges. */
const TRUSTED_PROXY = /^(loopback|linklocal|uniquelocal|(\d{1,3}\.){3}\d{1,3}(\/\d{1,2})?|[0-9a-fA-F:]*:[0-9a-fA-F:.]*(\/\d{1,3})?)$/;

/** Every environment setting the server reads, validated once at boot. */
export class AppConfig extends AbuseLimits {
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** Interface to listen on; agents' desktops reach the server over the contact centre's network. */
  @IsString()
  @MinLength(1)
  HOST = '0.0.0.0';

  /**
   * The load balancers / reverse proxies whose `X-Forwarded-For` is believed (comma-separated IPs,
   * CIDRs, or `loopback` / `linklocal` / `uniquelocal`), so that the per-address login limit counts
   * the agent's desktop, not the proxy. Empty (default): the connecting address, whatever a client
   * claims. Express's `trust proxy` (docs/SCALE-OUT.md).
   */
  @Transform(({ value }: { value: unknown }) =>
    value === undefined
      ? undefined
      : String(value)
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
  )
  @IsString({ each: true })
  @Matches(TRUSTED_PROXY, { each: true, message: 'TRUSTED_PROXIES: each entry is an IPv4/IPv6 address, a CIDR, or loopback, linklocal, uniquelocal' })
  TRUSTED_PROXIES: string[] = [];

  @IsString()
  @MinLength(1)
  DATA_DIR = './data';

  @IsString()
  @MinLength(1)
  FLOWS_DIR = './flows';

  /** The related-marketing matrix (offers by business, reason and customer profile). */
  @IsString()
  @MinLength(1)
  MATRIX_FILE = './flows/marketing/related-marketing.json';

  /** The compliance policies a flow version must pass before it can be submitted for publishing. */
  @IsString()
  @MinLength(1)
  POLICIES_FILE = './flows/policies/authoring-policies.json';

  /** QA: the automatic compliance checks run on every ended call, and the scorecard form. */
  @IsString()
  @MinLength(1)
  CALL_CHECKS_FILE = './flows/qa/call-checks.json';

  /** Work items: which desk owns what a call promised, and its due time (docs/FOLLOW-UP.md). */
  @IsString()
  @MinLength(1)
  SERVICE_LEVELS_FILE = './flows/follow-up/service-levels.json';

  /** Scenario answers: questions answered from the caller's data at the screen pop (docs/KNOWLEDGE.md). */
  @IsString()
  @MinLength(1)
  SCENARIO_ANSWERS_FILE = './flows/knowledge/scenario-answers.json';

  /** The evaluation model: dimensions, sub-dimensions, indicators with targets and weights, lifecycle stages (docs/EVALUATION.md). */
  @IsString()
  @MinLength(1)
  EVALUATION_MODEL_FILE = './flows/evaluation/evaluation-model.json';

  /** Metrics: first-call resolution window (a repeat call about the same business within it means not resolved). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(30)
  METRICS_FCR_DAYS = 7;

  @IsString()
  @MinLength(1)
  SCORECARD_FILE = './flows/qa/scorecard.json';

  /** Training (src/training): the score (0–100) a simulated call must reach to pass. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100)
  TRAINING_PASS_SCORE = 80;

  /** Training: passed scenarios of a business needed to be certified for it. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  TRAINING_CERTIFY_AFTER = 3;

  /** Training: agents are offered (and take real calls on) only the businesses they are certified for. */
  @Transform(toBool)
  @IsBoolean()
  TRAINING_CERTIFIED_ONLY = false;

  @IsString()
  @MinLength(1)
  CUSTOMERS_FILE = './src/backend/simulator/demo-customers.json';

  /** HS256 key (≥ 32 chars, i.e. ≥ 256 bits). When unset, a random one is generated once and kept in DATA_DIR so tokens survive restarts. */
  @IsOptional()
  @IsString()
  @MinLength(32)
  JWT_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(7 * 24 * 3600)
  JWT_TTL_SECONDS = 12 * 3600;

  /** Login throttling: failed logins for one username within the window before further attempts get 429. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  LOGIN_MAX_FAILURES_PER_USER = 5;

  /** Failed logins from one client address within the window (a contact centre's floor often shares one NAT address). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  LOGIN_MAX_FAILURES_PER_IP = 30;

  /** The throttling window, counted from the first failure. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 3600)
  LOGIN_FAILURE_WINDOW_SECONDS = 900;

  /** scrypt cost for new password hashes (N = 2^LOG_N); stored hashes carry theirs and are upgraded at the next login. */
  @Transform(toInt)
  @IsInt()
  @Min(14)
  @Max(17)
  PASSWORD_SCRYPT_LOG_N = 15;

  @Transform(toInt)
  @IsInt()
  @Min(8)
  @Max(16)
  PASSWORD_SCRYPT_R = 8;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(16)
  PASSWORD_SCRYPT_P = 1;

  /** `production` turns on the production defaults: no demo users unless DEMO_DATA is set, `/metrics` closed without METRICS_TOKEN. */
  @IsIn(['development', 'test', 'production'])
  NODE_ENV = 'development';

  /** The demo users (password `demo`) and data: on by default, off by default when NODE_ENV=production (then only if set). */
  @Transform(toBool)
  @IsBoolean()
  DEMO_DATA = true;

  /**
   * SQLite: the decision log commits at most once per this many ms; appends in between share the
   * next commit (0: off). 4: at 2,000 calls it cut the server's CPU per message ~8 % against 2 with
   * no longer tail (docs/PERFORMANCE.md, eleventh session); an idle log still commits at once.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(50)
  LOG_COMMIT_INTERVAL_MS = 4;

  @IsIn(['FULL', 'NORMAL'])
  SQLITE_SYNCHRONOUS: 'FULL' | 'NORMAL' = 'FULL';

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  WAL_CHECKPOINT_INTERVAL_MS = 2_000;

  /**
   * SQLite: the log's writer starts the write-ahead log over once it is past this size (MiB), and the
   * file is cut back to it. Under a load that never pauses the log would otherwise only grow, and
   * every commit with it (docs/PERFORMANCE.md); each restart holds the log's commits for ~10–50 ms.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(4096)
  WAL_RESTART_MIB = 16;

  /**
   * End-of-call worker: ended calls taken from the outbox per transaction. On SQLite the transaction
   * holds the file's write lock (~1 ms per call: QA rows, facts, rollups) while decisions' commits
   * wait; 4 keeps that wait to a few ms (docs/PERFORMANCE.md).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000)
  END_OF_CALL_BATCH = 4;

  /**
   * How often sockets that send nothing (a floor subscription, a watched call) have their sessions
   * re-checked: a token that expired, or a user changed on a node that could not say so. A change made
   * through this node closes its user's sockets at once, without waiting for it.
   */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  SESSION_RECHECK_MS = 2_000;

  /**
   * `GET /api/health`: how long a poll waits for a fresh end-of-call backlog from the read thread
   * before it is answered with the last one read (`endOfCall.readAt`). Below a load balancer's probe
   * timeout; the read thread may be busy with a wide QA search (docs/RELIABILITY.md).
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(30_000)
  HEALTH_BACKLOG_WAIT_MS = 1_000;

  /** End-of-call worker: a pause after each batch (tests use it to keep a backlog; 0 in production). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  END_OF_CALL_PAUSE_MS = 0;

  /**
   * End-of-call worker: the share of a core it may keep busy while decisions are being logged (it
   * rests after each batch in proportion; flat out when the log is quiet). Its backlog is the
   * durable outbox, so a small share delays QA and metrics, never the agent (docs/PERFORMANCE.md).
   */
  @Transform(toNumber)
  @IsNumber()
  @Min(0.05)
  @Max(1)
  END_OF_CALL_CPU_SHARE = 0.25;

  /**
   * Retention (docs/RELIABILITY.md "Retention and erasure"): calls that ended more than this many
   * days ago have their payload keys destroyed and their caller's number replaced by its pseudonym;
   * their events and hash chain stay. 0 (default): kept for ever. Fractions are allowed (tests).
   */
  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  @Max(36_500)
  RETENTION_DAYS = 0;

  /** How often the retention sweep runs (when RETENTION_DAYS is set); each run takes bounded batches. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(86_400_000)
  RETENTION_SWEEP_MS = 600_000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Operations: when set, `GET /metrics` requires `Authorization: Bearer <METRICS_TOKEN>` (empty: open). */
  @IsString()
  METRICS_TOKEN = '';

  /** Live floor: a step alerts when a call has waited this long on the back end there. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  FLOOR_WAIT_ALERT_MS = 5_000;

  /** Live floor: a step alerts when this share of its last 10 back-end replies (within 10 min) failed. */
  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  @Max(1)
  FLOOR_FAILURE_RATE_ALERT = 0.5;

  /** Largest HTTP JSON body accepted (a flow definition is ~35 KB); larger → 413 PAYLOAD_TOO_LARGE. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(16 * 1024 * 1024)
  HTTP_BODY_LIMIT_BYTES = 256 * 1024;

  /** Signed checkpoints of the decision log's chain heads (src/anchoring): keep the file and key apart from the database. Empty: in DATA_DIR. */
  @IsString()
  CHAIN_ANCHOR_FILE = '';

  /** The Ed25519 key that signs them (generated on first start; its public half beside it, `<file>.pub`). Empty: in DATA_DIR. */
  @IsString()
  CHAIN_ANCHOR_KEY_FILE = '';

  @Transform(toInt)
  @IsInt()
  @Min(50)
  @Max(3_600_000)
  CHAIN_ANCHOR_INTERVAL_MS = 60_000;

  get chainAnchorFile(): string {
    return path.resolve(this.DATA_DIR, this.CHAIN_ANCHOR_FILE || 'chain-anchors.jsonl');
  }

  get chainAnchorKeyFile(): string {
    return path.resolve(this.DATA_DIR, this.CHAIN_ANCHOR_KEY_FILE || 'chain-anchor-key.pem');
  }

  get usesPostgres(): boolean {
    return this.DATABASE_URL !== '';
  }

  get databaseFile(): string {
    return path.resolve(this.DATA_DIR, 'laihua.sqlite');
  }
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.keys(new AppConfig());
  const raw: Record<string, unknown> = {};
  for (const key of [...known, 'JWT_SECRET']) if (env[key] !== undefined) raw[key] = env[key];
  const config = plainToInstance(AppConfig, raw, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: true, forbidUnknownValues: true });
  if (errors.length) {
    // A database URL may carry a password, and a secret is a secret: never echo them.
    const shown = (e: { property: string; value?: unknown }) =>
      ['DATABASE_URL', 'CTI_SECRET', 'SURVEY_SECRET', 'OIDC_CLIENT_SECRET'].includes(e.property) ? '"…"' : JSON.stringify(e.value);
    const lines = errors.map((e) => `  ${e.property}=${shown(e)}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  // Production starts without the demo users (password `demo`) unless they are asked for by name.
  if (config.NODE_ENV === 'production' && (env.DEMO_DATA ?? '') === '') config.DEMO_DATA = false;
  if (config.CLUSTER_HEARTBEAT_MS * 2 > config.CLUSTER_LEASE_MS) {
    throw new ConfigError(
      `Invalid environment:\n  CLUSTER_HEARTBEAT_MS=${config.CLUSTER_HEARTBEAT_MS}: must be at most half of CLUSTER_LEASE_MS (${config.CLUSTER_LEASE_MS}), or one late heartbeat loses the lease`,
    );
  }
  const sso = ssoProblems(config);
  if (sso.length) throw new ConfigError(`Invalid environment:\n${sso.join('\n')}`);
  return config;
}
