import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Stored connection passwords, sealed with AES-256-GCM under the connections key
 * (deriveKey(secret, 'connections')). One buffer holds nonce | tag | ciphertext; the connection's
 * name is the associated data, so a sealed password copied onto another connection does not open.
 */
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const ALGORITHM = 'aes-256-gcm';

/** A sealed password that does not open: the key changed, or the bytes or name were altered. */
export class SealedPasswordError extends Error {
  override name = 'SealedPasswordError';
  constructor(connection: string) {
    super(
      `The password of connection "${connection}" cannot be decrypted: the secret key differs from the one it was stored with. Set PIPEWRIGHT_SECRET_KEY to that key, or enter the password again.`,
    );
  }
}

export function sealPassword(key: Buffer, connection: string, password: string): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(connection, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(password, 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, cipher.getAuthTag(), ciphertext]);
}

export function openPassword(key: Buffer, connection: string, sealed: Buffer): string {
  if (sealed.length < NONCE_BYTES + TAG_BYTES) throw new SealedPasswordError(connection);
  const nonce = sealed.subarray(0, NONCE_BYTES);
  const tag = sealed.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES);
  try {
    const decipher = createDecipheriv(ALGORITHM, key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(connection, 'utf8'));
    decipher.setAuthTag(tag);
    const plain = Buffer.concat([
      decipher.update(sealed.subarray(NONCE_BYTES + TAG_BYTES)),
      decipher.final(),
    ]);
    return plain.toString('utf8');
  } catch {
    // Node's own message ("Unsupported state or unable to authenticate data") says nothing useful.
    throw new SealedPasswordError(connection);
  }
}
