import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvite, findInviteById } from '../db/queries/invites';
import { auditLog, session, user } from '../db/schema';
import { outputOf } from './support/child-output';
import { createTestDatabase, type TestDatabase } from './support/database';
import { testAuth } from './support/services';

// The command line a user runs (`npx pipewright`), not the test build with extra node types.
const bin = path.resolve(import.meta.dirname, '../bin/pipewright.mjs');
const PASSWORD = 'a long enough password';

let database: TestDatabase;
let dataDir: string;
beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'pipewright-cli-users-'));
});
afterAll(async () => {
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** `pipewright ARGS` with `stdin` piped in, against the test database (null: no DATABASE_URL at all). */
function pipewright(args: string[], stdin: string, databaseUrl: string | null = database.url) {
  const { DATABASE_URL: _unused, ...inherited } = process.env;
  const child = spawn(process.execPath, [bin, ...args], {
    env: {
      ...inherited,
      ...(databaseUrl === null ? {} : { DATABASE_URL: databaseUrl }),
      DATA_DIR: dataDir,
      PIPEWRIGHT_SECRET_KEY: randomBytes(32).toString('base64'),
    },
  });
  child.stdin.end(stdin);
  return outputOf(child);
}

function signIn(email: string, password: string, address = '10.8.0.1') {
  return testAuth(database.db).handler(
    new Request('http://localhost:3000/api/auth/sign-in/email', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: 'http://localhost:3000',
        'x-forwarded-for': address,
      },
      body: JSON.stringify({ email, password }),
    }),
  );
}

const usersRows = () =>
  database.db.select({ email: user.email, role: user.role }).from(user).orderBy(asc(user.email));

describe('pipewright users create', () => {
  it('makes an account that signs in, audited as the CLI; the password appears nowhere', async () => {
    // `npm start` printed a setup link before anyone had an account: the CLI's account ends it.
    const setup = await createInvite(database.db, { kind: 'setup', role: 'admin', validForMs: 3_600_000 });
    const created = await pipewright(
      ['users', 'create', '--email', 'Bob@CLI.test', '--role', 'editor', '--password-stdin'],
      `${PASSWORD}\n`,
    );
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout.trim()).toMatch(
      /^Created bob@cli\.test \(editor\)\. They can sign in at http:\/\/localhost:\d+\/sign-in$/,
    );
    expect(await usersRows()).toEqual([{ email: 'bob@cli.test', role: 'editor' }]);
    expect((await findInviteById(database.db, setup.id))?.revokedAt).toBeInstanceOf(Date);

    // The trailing newline of `echo` is not part of the password.
    expect((await signIn('bob@cli.test', `${PASSWORD}\n`)).status).toBe(401);
    const response = await signIn('bob@cli.test', PASSWORD);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ user: { email: 'bob@cli.test', role: 'editor' } });

    const [entry] = await database.db.select().from(auditLog).where(eq(auditLog.action, 'user.created'));
    expect(entry).toMatchObject({
      actorKind: 'cli',
      actorId: null,
      objectType: 'user',
      objectLabel: 'bob@cli.test',
      details: { role: 'editor' },
    });
    expect(JSON.stringify(entry)).not.toContain(PASSWORD);
  });

  it('refuses a duplicate email, a bad role, a short password and a password on the command line', async () => {
    const refusals = await Promise.all([
      pipewright(
        ['users', 'create', '--email', 'bob@cli.test', '--role', 'viewer', '--password-stdin'],
        PASSWORD,
      ),
      pipewright(
        ['users', 'create', '--email', 'eve@cli.test', '--role', 'owner', '--password-stdin'],
        PASSWORD,
      ),
      pipewright(
        ['users', 'create', '--email', 'eve@cli.test', '--role', 'viewer', '--password-stdin'],
        'short\n',
      ),
      pipewright(['users', 'create', '--email', 'eve@cli.test', '--role', 'viewer'], PASSWORD),
      pipewright(
        ['users', 'create', '--email', 'not-an-email', '--role', 'viewer', '--password-stdin'],
        PASSWORD,
      ),
      pipewright(
        ['users', 'create', '--email', 'eve@cli.test', '--role', 'viewer', '--password-stdin'],
        PASSWORD,
        null,
      ),
    ]);
    expect(refusals.map(({ code, stdout, stderr }) => ({ code, stdout, stderr: stderr.trim() }))).toEqual([
      {
        code: 2,
        stdout: '',
        stderr: 'pipewright: bob@cli.test already has an account. Change its role on the Users page instead.',
      },
      {
        code: 2,
        stdout: '',
        stderr: 'pipewright: --role must be one of viewer, editor, operator, admin (not "owner")',
      },
      {
        code: 2,
        stdout: '',
        stderr: 'pipewright: The password on standard input has 5 characters; use at least 10.',
      },
      {
        code: 2,
        stdout: '',
        stderr:
          'pipewright: users create needs --password-stdin: the password is read from standard input, never from the command line (where other users and the shell history could see it).',
      },
      {
        code: 2,
        stdout: '',
        stderr: 'pipewright: users create needs --email with an email address, e.g. --email ada@example.com',
      },
      {
        code: 2,
        stdout: '',
        stderr: 'pipewright: Pipewright is not running: start it with `npm start`, or set DATABASE_URL.',
      },
    ]);
    expect(await usersRows()).toEqual([{ email: 'bob@cli.test', role: 'editor' }]);
  });
});

describe('pipewright users set-password', () => {
  const NEW_PASSWORD = 'another long password';

  it('unlocks an account locked by failed sign-ins: new password, sessions ended, audited as the CLI', async () => {
    expect((await signIn('bob@cli.test', PASSWORD)).status).toBe(200);
    const [bob] = await database.db.select().from(user).where(eq(user.email, 'bob@cli.test'));
    const bobId = bob?.id ?? '';
    expect(await database.db.select().from(session).where(eq(session.userId, bobId))).not.toEqual([]);
    for (let attempt = 0; attempt < 20; attempt++) {
      expect((await signIn('bob@cli.test', 'wrong password!', `10.8.1.${attempt % 4}`)).status).toBe(401);
    }
    const locked = await signIn('bob@cli.test', PASSWORD, '10.8.2.1');
    expect(locked.status).toBe(429);
    expect(await locked.json()).toMatchObject({
      message: expect.stringContaining('an admin can run `npx pipewright users set-password`'),
    });

    const set = await pipewright(
      ['users', 'set-password', '--email', 'Bob@CLI.test', '--password-stdin'],
      `${NEW_PASSWORD}\n`,
    );
    expect([set.code, set.stdout.trim(), set.stderr]).toEqual([
      0,
      'Set a new password for bob@cli.test and signed it out everywhere.',
      '',
    ]);
    expect(await database.db.select().from(session).where(eq(session.userId, bobId))).toEqual([]);
    expect((await signIn('bob@cli.test', PASSWORD, '10.8.2.2')).status).toBe(401);
    expect((await signIn('bob@cli.test', NEW_PASSWORD, '10.8.2.1')).status).toBe(200);
    const [entry] = await database.db.select().from(auditLog).where(eq(auditLog.action, 'password.set'));
    expect(entry).toMatchObject({
      actorKind: 'cli',
      actorId: null,
      objectId: bobId,
      objectLabel: 'bob@cli.test',
    });
    expect(JSON.stringify(entry)).not.toContain(NEW_PASSWORD);
  });

  it('refuses an unknown account and a password on the command line, changing nothing', async () => {
    const refusals = await Promise.all([
      pipewright(['users', 'set-password', '--email', 'nobody@cli.test', '--password-stdin'], NEW_PASSWORD),
      pipewright(['users', 'set-password', '--email', 'bob@cli.test'], NEW_PASSWORD),
      pipewright(['users', 'set-password', '--email', 'bob@cli.test', '--password-stdin'], 'short'),
    ]);
    expect(refusals.map(({ code, stderr }) => [code, stderr.trim()])).toEqual([
      [2, 'pipewright: There is no account for nobody@cli.test.'],
      [
        2,
        'pipewright: users set-password needs --password-stdin: the password is read from standard input, never from the command line (where other users and the shell history could see it).',
      ],
      [2, 'pipewright: The password on standard input has 5 characters; use at least 10.'],
    ]);
    expect((await signIn('bob@cli.test', NEW_PASSWORD, '10.8.3.1')).status).toBe(200);
  });
});
