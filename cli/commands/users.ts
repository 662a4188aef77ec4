import { z } from 'zod';
import { roleSchema, roles } from '../../access/roles';
import { resolveAppUrl } from '../../config/connections';
import type { Env } from '../../config/env';
import { revokeOpenSetupLinks } from '../../db/queries/invites';
import { findUserByEmail } from '../../db/queries/users';
import { authFromEnv } from '../../runtime/auth/auth-from-env';
import { recordCliAction } from '../cli-audit';
import type { Output } from '../output';
import { CliError, openDatabase } from '../session';

const MIN_PASSWORD = 10;
const MAX_PASSWORD = 256;

export interface UsersCreateOptions {
  email?: string;
  role?: string;
  name?: string;
  passwordStdin: boolean;
}

/** The whole of standard input, less the one line ending `echo` or a here-string adds. */
async function readPassword(stdin: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stdin) {
    const bytes = Buffer.from(chunk);
    length += bytes.length;
    // A password is short; anything longer is a mistake (a file piped in), not a password.
    if (length > MAX_PASSWORD * 4 + 2)
      throw new CliError(`The password must be at most ${MAX_PASSWORD} characters.`);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** The password on standard input, checked as sign-up would check it. */
async function passwordFromStdin(stdin: AsyncIterable<Buffer | string>): Promise<string> {
  const password = await readPassword(stdin);
  if (password.length < MIN_PASSWORD) {
    throw new CliError(
      `The password on standard input has ${password.length} characters; use at least ${MIN_PASSWORD}.`,
    );
  }
  if (password.length > MAX_PASSWORD)
    throw new CliError(`The password must be at most ${MAX_PASSWORD} characters.`);
  return password;
}

/** --password-stdin and --email, which every users subcommand needs. */
function checkedAccount(command: string, options: { email?: string; passwordStdin: boolean }): string {
  if (!options.passwordStdin) {
    throw new CliError(
      `users ${command} needs --password-stdin: the password is read from standard input, never from the command line (where other users and the shell history could see it).`,
    );
  }
  const email = z.email().safeParse(options.email?.trim().toLowerCase());
  if (!email.success)
    throw new CliError(`users ${command} needs --email with an email address, e.g. --email ada@example.com`);
  return email.data;
}

function checkedOptions(options: UsersCreateOptions) {
  const email = checkedAccount('create', options);
  const role = roleSchema.safeParse(options.role);
  if (!role.success) {
    throw new CliError(
      `--role must be one of ${roles.join(', ')}${options.role === undefined ? '' : ` (not "${options.role}")`}`,
    );
  }
  const name = options.name?.trim() || email.split('@')[0] || email;
  if (name.length > 100) throw new CliError('--name must be at most 100 characters.');
  return { email, role: role.data, name };
}

/**
 * `pipewright users create --email E --role R --password-stdin [--name N]`: an account made by
 * better-auth (the same password hashing as sign-in) in the local installation's database.
 */
export async function usersCreateCommand(
  options: UsersCreateOptions,
  env: Env,
  out: Output,
  stdin: AsyncIterable<Buffer | string> = process.stdin,
): Promise<number> {
  const { email, role, name } = checkedOptions(options);
  const password = await passwordFromStdin(stdin);
  const database = openDatabase(env);
  try {
    const { db } = database;
    const auth = authFromEnv(env, db);
    const duplicate = `${email} already has an account. Change its role on the Users page instead.`;
    if (await findUserByEmail(db, email)) throw new CliError(duplicate);
    const created = await auth.api
      .createUser({ body: { email, password, name, role } })
      .catch((error: unknown) => {
        // Another process may have made the same account since the check above.
        if (error instanceof Error && /already exists/i.test(error.message)) throw new CliError(duplicate);
        throw error;
      });
    // The first account made here ends the setup link `npm start` printed: it would make another admin.
    await revokeOpenSetupLinks(db);
    await recordCliAction(db, {
      action: 'user.created',
      objectType: 'user',
      objectId: created.user.id,
      objectLabel: email,
      details: { role },
    });
    out.print(
      out.json
        ? JSON.stringify({ userId: created.user.id, email, role })
        : `Created ${email} (${role}). They can sign in at ${resolveAppUrl(env).origin}/sign-in`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

export interface UsersSetPasswordOptions {
  email?: string;
  passwordStdin: boolean;
}

/**
 * `pipewright users set-password --email E --password-stdin`: a new password for an account (one
 * locked out by failed sign-ins, say), hashed by better-auth. Its sessions end, so whoever knew the
 * old password is signed out; failed sign-ins before it no longer count.
 */
export async function usersSetPasswordCommand(
  options: UsersSetPasswordOptions,
  env: Env,
  out: Output,
  stdin: AsyncIterable<Buffer | string> = process.stdin,
): Promise<number> {
  const email = checkedAccount('set-password', options);
  const password = await passwordFromStdin(stdin);
  const database = openDatabase(env);
  try {
    const { db } = database;
    const auth = authFromEnv(env, db);
    const account = await findUserByEmail(db, email);
    if (!account) throw new CliError(`There is no account for ${email}.`);
    const context = await auth.$context;
    const credentials = (await context.internalAdapter.findAccounts(account.id)).filter(
      (row) => row.providerId === 'credential',
    );
    if (credentials.length === 0) throw new CliError(`${email} has no password to set.`);
    await context.internalAdapter.updatePassword(account.id, await context.password.hash(password));
    await context.internalAdapter.deleteUserSessions(account.id);
    await recordCliAction(db, {
      action: 'password.set',
      objectType: 'user',
      objectId: account.id,
      objectLabel: email,
      details: { sessionsEnded: true },
    });
    out.print(
      out.json
        ? JSON.stringify({ userId: account.id, email })
        : `Set a new password for ${email} and signed it out everywhere.`,
    );
    return 0;
  } finally {
    await database.close();
  }
}
