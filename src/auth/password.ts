import { randomBytes, scrypt, type ScryptOptions, timingSafeEqual } from 'node:crypto';

/** scrypt cost: N = 2^logN, block size r, parallelism p. Memory per hash is 128·N·r bytes. */
export interface ScryptParams {
  logN: number;
  r: number;
  p: number;
}

/**
 * N = 2^15, r = 8, p = 1 (32 MiB, ~130 ms here): the interactive-login setting Go's x/crypto
 * recommends since 2017, twice Node's default N. Raise it with PASSWORD_SCRYPT_* — hashes carry
 * their own parameters and are re-hashed at the next successful login.
 */
export const DEFAULT_SCRYPT: ScryptParams = { logN: 15, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** What `hashPassword` stored before parameters were encoded: `scrypt$<salt hex>$<hash hex>` with Node's defaults. */
const LEGACY = { logN: 14, r: 8, p: 1 } as const;
/** Bounds for parameters read from a stored hash, so a tampered row cannot make a login allocate gigabytes. */
const LIMITS = { logN: [10, 17], r: [1, 16], p: [1, 16] } as const;

const memoryOf = ({ logN, r }: ScryptParams) => 128 * 2 ** logN * r;

function derive(password: string, salt: Buffer, keylen: number, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** params.logN, r: params.r, p: params.p, maxmem: memoryOf(params) * 2 };
  return new Promise((resolve, reject) => scrypt(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));
}

const b64 = (buffer: Buffer) => buffer.toString('base64').replace(/=+$/, '');

/** A PHC string: `$scrypt$ln=15,r=8,p=1$<salt base64>$<hash base64>`. */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, KEY_BYTES, params);
  return `$scrypt$ln=${params.logN},r=${params.r},p=${params.p}$${b64(salt)}$${b64(hash)}`;
}

interface StoredHash {
  params: ScryptParams;
  salt: Buffer;
  hash: Buffer;
}

function parse(stored: string): StoredHash | null {
  const legacy = /^scrypt\$([0-9a-f]{32,})\$([0-9a-f]{32,})$/.exec(stored);
  if (legacy) return { params: LEGACY, salt: Buffer.from(legacy[1], 'hex'), hash: Buffer.from(legacy[2], 'hex') };
  const phc = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{22,})\$([A-Za-z0-9+/]{22,})$/.exec(stored);
  if (!phc) return null;
  const params = { logN: Number(phc[1]), r: Number(phc[2]), p: Number(phc[3]) };
  for (const key of ['logN', 'r', 'p'] as const) {
    if (params[key] < LIMITS[key][0] || params[key] > LIMITS[key][1]) return null;
  }
  return { params, salt: Buffer.from(phc[4], 'base64'), hash: Buffer.from(phc[5], 'base64') };
}

/** Constant-time comparison; false for a malformed or out-of-bounds stored hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const actual = await derive(password, parsed.salt, parsed.hash.length, parsed.params);
  return timingSafeEqual(actual, parsed.hash);
}

/** True when the stored hash is weaker than `params` (or unreadable): re-hash it after a successful login. */
export function needsRehash(stored: string, params: ScryptParams = DEFAULT_SCRYPT): boolean {
  const parsed = parse(stored);
  if (!parsed) return true;
  const weaker = parsed.params.logN < params.logN || parsed.params.r < params.r || parsed.params.p < params.p;
  return weaker || parsed.salt.length < SALT_BYTES || parsed.hash.length < KEY_BYTES;
}
