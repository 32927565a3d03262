import { createHash, scryptSync } from 'node:crypto';
import { DEFAULT_SCRYPT, hashPassword, needsRehash, verifyPassword } from './password';

// The cheapest parameters the parser accepts keep the suite fast; one test uses the defaults.
const FAST = { logN: 10, r: 8, p: 1 };

describe('password hashing (scrypt)', () => {
  it('stores a PHC string with its parameters, 16-byte salt and 32-byte key', async () => {
    const stored = await hashPassword('demo', FAST);
    const m = /^\$scrypt\$ln=10,r=8,p=1\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(stored);
    expect(m).not.toBeNull();
    expect(Buffer.from(m![1], 'base64')).toHaveLength(16);
    expect(Buffer.from(m![2], 'base64')).toHaveLength(32);
  });

  it('defaults to N = 2^15, r = 8, p = 1, and the key is exactly scrypt of the salt', async () => {
    expect(DEFAULT_SCRYPT).toEqual({ logN: 15, r: 8, p: 1 });
    const stored = await hashPassword('demo');
    const [, , params, salt, key] = stored.split('$');
    expect(params).toBe('ln=15,r=8,p=1');
    const expected = scryptSync('demo', Buffer.from(salt, 'base64'), 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
    expect(Buffer.from(key, 'base64').equals(expected)).toBe(true);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('demo', FAST);
    expect(await verifyPassword('demo', stored)).toBe(true);
    expect(await verifyPassword('Demo', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts: the same password hashes differently', async () => {
    expect(await hashPassword('demo', FAST)).not.toEqual(await hashPassword('demo', FAST));
  });

  it('still verifies hashes stored before parameters were encoded (scrypt$hex$hex, Node defaults)', async () => {
    const salt = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const legacy = `scrypt$${salt.toString('hex')}$${scryptSync('demo', salt, 32).toString('hex')}`;
    expect(await verifyPassword('demo', legacy)).toBe(true);
    expect(await verifyPassword('nope', legacy)).toBe(false);
    expect(needsRehash(legacy)).toBe(true);
  });

  it('asks for a re-hash when any stored parameter is below the configured one', async () => {
    const stored = await hashPassword('demo', FAST);
    expect(needsRehash(stored, FAST)).toBe(false);
    expect(needsRehash(stored, { ...FAST, logN: 11 })).toBe(true);
    expect(needsRehash(stored, { ...FAST, p: 2 })).toBe(true);
    expect(needsRehash(stored, { ...FAST, logN: 9 })).toBe(false);
  });

  it('refuses malformed, unhashed or out-of-bounds stored values', async () => {
    const stored = await hashPassword('demo', FAST);
    const [, , , salt, key] = stored.split('$');
    for (const bad of [
      'plain',
      'demo',
      createHash('sha256').update('demo').digest('hex'),
      `$scrypt$ln=30,r=8,p=1$${salt}$${key}`, // would allocate 128 GiB
      `$scrypt$ln=10,r=99,p=1$${salt}$${key}`,
      `$scrypt$ln=10,r=8,p=1$${salt}`,
      `$argon2id$v=19$m=65536,t=3,p=4$${salt}$${key}`,
    ]) {
      expect(await verifyPassword('demo', bad)).toBe(false);
      expect(needsRehash(bad)).toBe(true);
    }
  });
});
