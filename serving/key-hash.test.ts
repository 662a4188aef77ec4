import { defaultKeyHasher } from '@better-auth/api-key';
import { describe, expect, it } from 'vitest';
import { apiKeyHash } from './key-hash';

describe('apiKeyHash', () => {
  it("is better-auth's own hash of a key (what api_keys.key holds)", async () => {
    for (const key of ['pw_abcDEF0123456789abcdefghijklmnop', 'pw_x', 'pw_ünïcødé-key', '']) {
      expect(apiKeyHash(key)).toBe(await defaultKeyHasher(key));
    }
    // SHA-256, base64url without padding: 43 characters.
    expect(apiKeyHash('pw_x')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
