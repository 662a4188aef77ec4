import { keyScopeSchema, keyScopes, roleSchema } from '../../access/roles';
import type { Env } from '../../config/env';
import { findUserByEmail } from '../../db/queries/users';
import {
  createKey,
  findKeyByShownPrefix,
  KeyRequestError,
  newKeySchema,
  revokeKey,
} from '../../runtime/auth/api-keys';
import { authFromEnv } from '../../runtime/auth/auth-from-env';
import { cliAuditActor } from '../cli-audit';
import type { Output } from '../output';
import { CliError, openDatabase } from '../session';

export interface KeysCreateOptions {
  user?: string;
  scope?: string;
  models: string[];
  name?: string;
}

/** Key refusals (a scope the role may not hold, an unknown or ambiguous prefix) as one line. */
async function withKeyErrors<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw error instanceof KeyRequestError ? new CliError(error.message) : error;
  }
}

function checkedRequest(options: KeysCreateOptions) {
  const email = options.user?.trim().toLowerCase();
  if (!email) throw new CliError('keys create needs --user with the email of the account the key acts for');
  const scope = keyScopeSchema.safeParse(options.scope);
  if (!scope.success) {
    throw new CliError(
      `--scope must be one of ${keyScopes.join(', ')}${options.scope === undefined ? '' : ` (not "${options.scope}")`}`,
    );
  }
  const request = newKeySchema.safeParse({
    name: options.name ?? `${scope.data} key (CLI)`,
    scope: scope.data,
    models: options.models.length ? options.models : undefined,
  });
  if (!request.success) {
    const [issue] = request.error.issues;
    const flag = issue?.path[0] === 'models' ? '--model' : `--${String(issue?.path[0] ?? 'name')}`;
    throw new CliError(`${flag}: ${issue?.message ?? 'is not valid'}`);
  }
  return { email, request: request.data };
}

/**
 * `pipewright keys create --user E --scope S [--model NAME]… [--name LABEL]`: the key alone on
 * stdout (so a script can capture it), shown this once; what it is goes to stderr.
 */
export async function keysCreateCommand(options: KeysCreateOptions, env: Env, out: Output): Promise<number> {
  const { email, request } = checkedRequest(options);
  const database = openDatabase(env);
  try {
    const { db } = database;
    const user = await findUserByEmail(db, email);
    if (!user)
      throw new CliError(`No account has the email ${email}. Create it first: pipewright users create`);
    if (user.banned) throw new CliError(`${email} is deactivated: its keys would be refused.`);
    const role = roleSchema.parse(user.role);
    const created = await withKeyErrors(
      createKey(authFromEnv(env, db), db, { id: user.id, email: user.email, role }, request, cliAuditActor()),
    );
    if (out.json) {
      const { id, key, start, name, scope, models } = created;
      out.print(JSON.stringify({ id, key, start, name, scope, models: models ?? null, user: email }));
      return 0;
    }
    out.progress(
      `Created the ${created.scope} key ${created.start}… "${created.name}" for ${email}. It is shown once, below: store it now.`,
    );
    out.print(created.key);
    return 0;
  } finally {
    await database.close();
  }
}

/** `pipewright keys revoke PREFIX`: revokes the one key whose shown prefix starts so. */
export async function keysRevokeCommand(prefix: string, env: Env, out: Output): Promise<number> {
  const database = openDatabase(env);
  try {
    const { db } = database;
    const key = await withKeyErrors(findKeyByShownPrefix(db, prefix));
    await withKeyErrors(revokeKey(authFromEnv(env, db), db, key, cliAuditActor()));
    out.print(
      out.json
        ? JSON.stringify({ id: key.id, start: key.start, revoked: true })
        : `Revoked ${key.start}… "${key.name ?? ''}" of ${key.ownerEmail}: requests with it are refused from now on.`,
    );
    return 0;
  } finally {
    await database.close();
  }
}
