import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where the public half of an anchor key is written: beside the private key, for the verifier. */
export const publicKeyFileOf = (privateKeyFile: string) => `${privateKeyFile}.pub`;

/**
 * The anchor signing key (Ed25519, PEM): read from `file`, or generated on first start and written
 * there (mode 0600) with its public half beside it (`<file>.pub`, which the offline verifier takes).
 * The key belongs apart from the database, like the anchor file: whoever holds both can re-sign.
 */
export function loadOrCreateAnchorKey(file: string): { privateKey: KeyObject; publicKey: KeyObject } {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const pair = generateKeyPairSync('ed25519');
    try {
      fs.writeFileSync(file, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    } catch (e) {
      // Another process created it first: use theirs.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  const privateKey = createPrivateKey(fs.readFileSync(file));
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${file} is not an Ed25519 private key`);
  const publicKey = createPublicKey(privateKey);
  const pub = publicKeyFileOf(file);
  if (!fs.existsSync(pub)) fs.writeFileSync(pub, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
  return { privateKey, publicKey };
}

/** The verifier's key: a public key PEM (or the private one, whose public half is taken). */
export function readPublicKey(file: string): KeyObject {
  const pem = fs.readFileSync(file);
  return pem.includes('PRIVATE KEY') ? createPublicKey(createPrivateKey(pem)) : createPublicKey(pem);
}
