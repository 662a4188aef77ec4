import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { issueServingCredential, verifyServingCredential } from './serving-credential';

describe('serving credential', () => {
  const secret = randomBytes(32);

  it('names the user it was issued for until it expires', () => {
    const token = issueServingCredential(secret, 'user-1', 1_000_000);
    expect(verifyServingCredential(secret, token, 1_000_000)).toBe('user-1');
    expect(verifyServingCredential(secret, token, 1_000_000 + 61_000)).toBeUndefined();
  });

  it('refuses another secret, a changed user and a changed expiry', () => {
    const token = issueServingCredential(secret, 'user-1', 1_000_000);
    expect(verifyServingCredential(randomBytes(32), token, 1_000_000)).toBeUndefined();
    expect(verifyServingCredential(secret, token.replace('user-1', 'user-2'), 1_000_000)).toBeUndefined();
    expect(verifyServingCredential(secret, token.replace('pwi_1', 'pwi_9'), 1_000_000)).toBeUndefined();
    expect(verifyServingCredential(secret, 'pw_notacredential', 1_000_000)).toBeUndefined();
  });
});
