import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KeyScope, keyScopes, type Role, roles } from '../access/roles';
import { type Actor, BadCredentialError, resolveActor } from '../app/_server/auth/actor';
import { appRouter } from '../app/_server/root';
import { createCallerFactory } from '../app/_server/trpc';
import { apikey, auditLog } from '../db/schema';
import type { Auth } from '../runtime/auth/auth';
import { createTestDatabase, type TestDatabase } from './support/database';
import { databaseOnlyServices, testAuth, testContext } from './support/services';
import { rejection } from './support/trpc-rejection';

let database: TestDatabase;
let auth: Auth;
const users = new Map<Role, Actor>();

beforeAll(async () => {
  database = await createTestDatabase();
  auth = testAuth(database.db);
  for (const role of roles) {
    const email = `${role}@keys.test`;
    const { user } = await auth.api.createUser({
      body: { email, password: 'a long enough password', name: `The ${role}`, role },
    });
    users.set(role, { kind: 'user', userId: user.id, email, name: user.name, role });
  }
});
afterAll(() => database?.drop());

function actorOf(role: Role): Actor {
  const actor = users.get(role);
  if (!actor) throw new Error(`no ${role} user`);
  return actor;
}

function api(actor: Actor | null) {
  return createCallerFactory(appRouter)(testContext(databaseOnlyServices(database, auth), actor));
}

function bearer(key: string): Headers {
  return new Headers({ authorization: `Bearer ${key}` });
}

/** The scopes each role may hold, written out (not computed from access/roles.ts, which it checks). */
const mayHold: Record<Role, KeyScope[]> = {
  viewer: ['read', 'predict'],
  editor: ['read', 'run', 'predict'],
  operator: ['read', 'run', 'predict'],
  admin: ['read', 'run', 'predict', 'admin'],
};

describe('API keys', () => {
  it('creates keys of the scopes a role may hold, refuses the others with a sentence, and each key acts as its owner', async () => {
    for (const role of roles) {
      for (const scope of keyScopes) {
        const call = api(actorOf(role)).keys.create({ name: `${role} ${scope}`, scope });
        if (!mayHold[role].includes(scope)) {
          const refused = await rejection(call);
          expect(refused.code).toBe('FORBIDDEN');
          expect(refused.message).toBe(
            `${role}@keys.test (${role}) may not hold a ${scope} key: ${scope} keys need ${scope === 'admin' ? 'the admin role' : 'the editor role or higher'}.`,
          );
          continue;
        }
        const created = await call;
        expect(created.key).toMatch(/^pw_[A-Za-z0-9]{20,}$/);
        expect(created.start).toBe(created.key.slice(0, 11));
        const actor = await resolveActor(auth, database.db, bearer(created.key));
        expect(actor).toMatchObject({ kind: 'key', userId: actorOf(role).userId, role, scope });
      }
    }
    const names = (await api(actorOf('viewer')).keys.list()).map((key) => key.name).sort();
    expect(names).toEqual(['viewer predict', 'viewer read']);
    // Nothing was stored for a refused scope.
    const stored = await database.db.select({ name: apikey.name }).from(apikey);
    expect(stored.map((row) => row.name).sort()).toEqual(
      roles.flatMap((role) => mayHold[role].map((scope) => `${role} ${scope}`)).sort(),
    );
  });

  it('keeps models for predict keys only, and names the field when another scope is given models', async () => {
    const editor = api(actorOf('editor'));
    const predict = await editor.keys.create({
      name: 'churn scorer',
      scope: 'predict',
      models: ['churn', 'churn', ' fraud '],
    });
    expect(predict.models).toEqual(['churn', 'fraud']);
    expect(await resolveActor(auth, database.db, bearer(predict.key))).toMatchObject({
      scope: 'predict',
      models: ['churn', 'fraud'],
    });
    const refused = await rejection(editor.keys.create({ name: 'bad', scope: 'run', models: ['churn'] }));
    expect(refused.code).toBe('BAD_REQUEST');
    expect(refused.message).toContain('Only predict keys name models; a run key cannot');
    const empty = await rejection(editor.keys.create({ name: '  ', scope: 'read' }));
    // A sentence naming the field, not zod's issues as JSON.
    expect(empty.message).toBe('name: Give the key a name, e.g. "nightly CI"');
  });

  it('lists the prefix, scope, creation and last use, never the key or its hash', async () => {
    const operator = api(actorOf('operator'));
    const created = await operator.keys.create({ name: 'nightly CI', scope: 'run' });
    const [hashRow] = await database.db
      .select({ hash: apikey.key })
      .from(apikey)
      .where(eq(apikey.id, created.id));
    const hash = hashRow?.hash ?? 'missing';
    const before = (await operator.keys.list()).find((key) => key.id === created.id);
    expect(before).toMatchObject({
      name: 'nightly CI',
      start: created.key.slice(0, 11),
      scope: 'run',
      revoked: false,
      lastUsedAt: null,
      ownerEmail: 'operator@keys.test',
    });
    expect(before?.createdAt).toBeInstanceOf(Date);
    for (const listed of [await operator.keys.list(), await api(actorOf('admin')).keys.listAll()]) {
      const text = JSON.stringify(listed);
      expect(text).not.toContain(created.key);
      expect(text).not.toContain(hash);
    }

    await resolveActor(auth, database.db, bearer(created.key));
    const after = (await operator.keys.list()).find((key) => key.id === created.id);
    expect(after?.lastUsedAt).toBeInstanceOf(Date);
    expect(after?.lastUsedAt?.getTime()).toBeGreaterThanOrEqual(before?.createdAt.getTime() ?? Infinity);
  });

  it('revokes a key at once: the next request with it is a BadCredentialError; the list shows it revoked', async () => {
    const editor = api(actorOf('editor'));
    const created = await editor.keys.create({ name: 'short-lived', scope: 'read' });
    await expect(resolveActor(auth, database.db, bearer(created.key))).resolves.toMatchObject({
      kind: 'key',
    });
    expect(await editor.keys.revoke({ keyId: created.id })).toEqual({
      keyId: created.id,
      start: created.start,
    });
    await expect(resolveActor(auth, database.db, bearer(created.key))).rejects.toThrow(BadCredentialError);
    expect((await editor.keys.list()).find((key) => key.id === created.id)?.revoked).toBe(true);
    const again = await rejection(editor.keys.revoke({ keyId: created.id }));
    expect(again.code).toBe('CONFLICT');
    expect(again.message).toBe(`The key ${created.start}… is already revoked.`);
  });

  it("lets nobody but an admin revoke another account's key, and shows admins every key with its owner", async () => {
    const editorsKey = await api(actorOf('editor')).keys.create({ name: 'editor deploys', scope: 'run' });
    const refused = await rejection(api(actorOf('operator')).keys.revoke({ keyId: editorsKey.id }));
    expect(refused.code).toBe('NOT_FOUND');
    for (const role of ['viewer', 'editor', 'operator'] as const) {
      expect((await rejection(api(actorOf(role)).keys.revokeAny({ keyId: editorsKey.id }))).code).toBe(
        'FORBIDDEN',
      );
      expect((await rejection(api(actorOf(role)).keys.listAll())).code).toBe('FORBIDDEN');
    }
    await expect(resolveActor(auth, database.db, bearer(editorsKey.key))).resolves.toMatchObject({
      kind: 'key',
    });

    const admin = api(actorOf('admin'));
    const everyone = await admin.keys.listAll();
    expect(everyone.find((key) => key.id === editorsKey.id)?.ownerEmail).toBe('editor@keys.test');
    expect(new Set(everyone.map((key) => key.ownerEmail))).toEqual(
      new Set(roles.map((role) => `${role}@keys.test`)),
    );
    await admin.keys.revokeAny({ keyId: editorsKey.id });
    await expect(resolveActor(auth, database.db, bearer(editorsKey.key))).rejects.toThrow(BadCredentialError);
  });

  it('refuses anonymous callers, and keys other than admin keys, to manage keys', async () => {
    expect((await rejection(api(null).keys.list())).code).toBe('UNAUTHORIZED');
    const runKey = await api(actorOf('admin')).keys.create({ name: 'ci', scope: 'run' });
    const keyActor = await resolveActor(auth, database.db, bearer(runKey.key));
    const refused = await rejection(api(keyActor).keys.create({ name: 'more', scope: 'admin' }));
    expect(refused.code).toBe('FORBIDDEN');
  });

  it('audits key.created and key.revoked with the prefix as the label, never the key', async () => {
    const admin = api(actorOf('admin'));
    const created = await admin.keys.create({ name: 'audited', scope: 'read' });
    await admin.keys.revoke({ keyId: created.id });
    const entries = await database.db.select().from(auditLog).where(eq(auditLog.objectId, created.id));
    expect(
      entries.map((entry) => [entry.action, entry.actorKind, entry.actorEmail, entry.objectLabel]),
    ).toEqual([
      ['key.created', 'user', 'admin@keys.test', `${created.start}…`],
      ['key.revoked', 'user', 'admin@keys.test', `${created.start}…`],
    ]);
    expect(entries[0]?.details).toMatchObject({ name: 'audited', scope: 'read', owner: 'admin@keys.test' });
    const everything = JSON.stringify(await database.db.select().from(auditLog));
    expect(everything).not.toContain(created.key);
  });
});
