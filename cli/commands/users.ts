import { z } from 'zod';
import { roleSchema, roles } from '../../access/roles';
import { type Env, publicUrl } from '../../config/env';
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

function checkedOptions(options: UsersCreateOptions) {
  if (!options.passwordStdin) {
    throw new CliError(
      'users create needs --password-stdin: the password is read from standard input, never from the command line (where other users and the shell history could see it).',
    );
  }
  const email = z.email().safeParse(options.email?.trim().toLowerCase());
  if (!email.success)
    throw new CliError('users create needs --email with an email address, e.g. --email ada@example.com');
  const role = roleSchema.safeParse(options.role);
  if (!role.success) {
    throw new CliError(
      `--role must be one of ${roles.join(', ')}${options.role === undefined ? '' : ` (not "${options.role}")`}`,
    );
  }
  const name = options.name?.trim() || email.data.split('@')[0] || email.data;
  if (name.length > 100) throw new CliError('--name must be at most 100 characters.');
  return { email: email.data, role: role.data, name };
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
  const password = await readPassword(stdin);
  if (password.length < MIN_PASSWORD) {
    throw new CliError(
      `The password on standard input has ${password.length} characters; use at least ${MIN_PASSWORD}.`,
    );
  }
  if (password.length > MAX_PASSWORD)
    throw new CliError(`The password must be at most ${MAX_PASSWORD} characters.`);
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
        : `Created ${email} (${role}). They can sign in at ${publicUrl(env).origin}/sign-in`,
    );
    return 0;
  } finally {
    await database.close();
  }
}
