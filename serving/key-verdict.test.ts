import { describe, expect, it } from 'vitest';
import { KEY_MESSAGES, type KeyFacts, keyVerdict, parseKeyMetadata, userActive } from './key-verdict';

const facts: KeyFacts = {
  keyId: 'key-1',
  ownerId: 'user-1',
  metadata: { scope: 'predict' },
  enabled: true,
  expiresAt: null,
  ownerActive: true,
};
const refusal = (message: string) => ({ ok: false, status: 401, message });

describe('keyVerdict', () => {
  it('lets a good key act for its owner within its scope and models', () => {
    expect(keyVerdict(facts)).toEqual({
      ok: true,
      caller: { kind: 'key', keyId: 'key-1', ownerId: 'user-1', scope: 'predict' },
    });
    expect(keyVerdict({ ...facts, metadata: { scope: 'predict', models: ['churn'] } })).toEqual({
      ok: true,
      caller: { kind: 'key', keyId: 'key-1', ownerId: 'user-1', scope: 'predict', models: ['churn'] },
    });
  });

  it('refuses revoked, expired, owner-deactivated and scope-less keys, each with its own sentence', () => {
    const now = 1_000_000;
    expect(keyVerdict({ ...facts, enabled: false }, now)).toEqual(refusal(KEY_MESSAGES.revoked));
    expect(keyVerdict({ ...facts, expiresAt: now }, now)).toEqual(refusal(KEY_MESSAGES.expired));
    expect(keyVerdict({ ...facts, expiresAt: now + 1 }, now).ok).toBe(true);
    expect(keyVerdict({ ...facts, ownerActive: false }, now)).toEqual(refusal(KEY_MESSAGES.ownerInactive));
    expect(keyVerdict({ ...facts, metadata: undefined }, now)).toEqual(refusal(KEY_MESSAGES.noScope));
    // Revoked says revoked even when it has also expired.
    expect(keyVerdict({ ...facts, enabled: false, expiresAt: 0 }, now)).toEqual(
      refusal(KEY_MESSAGES.revoked),
    );
  });
});

describe('parseKeyMetadata', () => {
  it("reads better-auth's JSON text, also when encoded twice, and nothing that is not Pipewright's", () => {
    expect(parseKeyMetadata('{"scope":"read"}')).toEqual({ scope: 'read' });
    expect(parseKeyMetadata(JSON.stringify(JSON.stringify({ scope: 'predict', models: ['a'] })))).toEqual({
      scope: 'predict',
      models: ['a'],
    });
    expect(parseKeyMetadata('{"scope":"root"}')).toBeUndefined();
    expect(parseKeyMetadata('{"note":1}')).toBeUndefined();
    expect(parseKeyMetadata('not json')).toBeUndefined();
    expect(parseKeyMetadata(null)).toBeUndefined();
  });
});

describe('userActive', () => {
  it('needs one of our roles and no deactivation', () => {
    expect(userActive({ role: 'viewer', banned: false })).toBe(true);
    expect(userActive({ role: 'viewer', banned: true })).toBe(false);
    expect(userActive({ role: 'superuser', banned: false })).toBe(false);
  });
});
