import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openPassword, SealedPasswordError, sealPassword } from './connection-password';
import { deriveKey } from './secret-key';

const secret = randomBytes(32);
const key = deriveKey(secret, 'connections');
const password = 'pa55 wörd; drop';

describe('sealed connection passwords', () => {
  it('round-trips, with a fresh nonce each time and no plaintext in the sealed bytes', () => {
    const first = sealPassword(key, 'SALES', password);
    const second = sealPassword(key, 'SALES', password);
    expect(openPassword(key, 'SALES', first)).toBe(password);
    expect(openPassword(key, 'SALES', second)).toBe(password);
    expect(first.equals(second)).toBe(false);
    expect(first.length).toBe(12 + 16 + Buffer.byteLength(password));
    expect(first.includes(Buffer.from(password))).toBe(false);
    expect(openPassword(key, 'EMPTY', sealPassword(key, 'EMPTY', ''))).toBe('');
  });

  it('refuses tampered bytes, naming the connection and never the bytes', () => {
    const sealed = sealPassword(key, 'SALES', password);
    for (const at of [0, 12, 28, sealed.length - 1]) {
      const tampered = Buffer.from(sealed);
      tampered[at] = (tampered[at] ?? 0) ^ 1;
      expect(() => openPassword(key, 'SALES', tampered)).toThrow(SealedPasswordError);
    }
    expect(() => openPassword(key, 'SALES', sealed.subarray(0, 20))).toThrow(
      'The password of connection "SALES" cannot be decrypted: the secret key differs from the one it was stored with.',
    );
  });

  it('refuses another key', () => {
    const sealed = sealPassword(key, 'SALES', password);
    const other = deriveKey(randomBytes(32), 'connections');
    expect(() => openPassword(other, 'SALES', sealed)).toThrow(
      /^The password of connection "SALES" cannot be decrypted: the secret key differs from the one it was stored with\./,
    );
    // The same secret's sessions key is another key too.
    expect(() => openPassword(deriveKey(secret, 'sessions'), 'SALES', sealed)).toThrow(SealedPasswordError);
  });

  it('refuses a sealed password moved onto another connection', () => {
    const sealed = sealPassword(key, 'SALES', password);
    expect(() => openPassword(key, 'BILLING', sealed)).toThrow(
      'The password of connection "BILLING" cannot be decrypted',
    );
  });
});
