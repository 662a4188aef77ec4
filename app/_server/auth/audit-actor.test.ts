import { describe, expect, it } from 'vitest';
import type { Actor } from './actor';
import { auditActor, auditEntry } from './audit-actor';

const user: Actor = { kind: 'user', userId: 'u1', email: 'ada@example.com', name: 'Ada', role: 'editor' };
const key: Actor = {
  kind: 'key',
  keyId: 'k1',
  keyPrefix: 'pw_abcdefgh',
  userId: 'u2',
  email: 'bot@example.com',
  name: 'Bot',
  role: 'operator',
  scope: 'run',
};

describe('auditActor', () => {
  it('records a signed-in user by id and email', () => {
    expect(auditActor(user, '10.0.0.1')).toEqual({
      actorKind: 'user',
      actorId: 'u1',
      actorEmail: 'ada@example.com',
      ipAddress: '10.0.0.1',
    });
  });

  it('records a key as its owner plus the key prefix, never the key id alone', () => {
    expect(auditActor(key, null)).toEqual({
      actorKind: 'key',
      actorId: 'u2',
      actorEmail: 'bot@example.com',
      ipAddress: null,
      details: { keyPrefix: 'pw_abcdefgh' },
    });
  });
});

describe('auditEntry', () => {
  it('merges the key prefix with the event details', () => {
    const entry = auditEntry(key, null, {
      action: 'run.started',
      objectType: 'run',
      objectId: 'r1',
      objectLabel: 'nightly',
      details: { pipelineId: 'p1' },
    });
    expect(entry).toMatchObject({ actorKind: 'key', action: 'run.started', objectLabel: 'nightly' });
    expect(entry.details).toEqual({ keyPrefix: 'pw_abcdefgh', pipelineId: 'p1' });
  });

  it('leaves details null when neither side has any', () => {
    expect(auditEntry(user, null, { action: 'pipeline.created' }).details).toBeNull();
  });
});
