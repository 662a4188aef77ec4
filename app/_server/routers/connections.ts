import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { openPassword, SealedPasswordError, sealPassword } from '../../../config/connection-password';
import {
  type ConnectionLogin,
  type ConnectionOptions,
  connectionFieldsSchema,
  connectionInputSchema,
  connectionNameSchema,
  connectionOptionsSchema,
  connectionPasswordSchema,
  connectionVariable,
  PASSWORD_MASK,
  type SslMode,
} from '../../../config/connection-settings';
import { deriveKey } from '../../../config/secret-key';
import {
  type ConnectionSummary,
  deleteConnection,
  findConnection,
  insertConnection,
  listConnections,
  type SealedConnection,
  updateConnection,
} from '../../../db/queries/connections';
import { checkConnection } from '../../../nodes/ingest/connection-check';
import { environmentSource, storedSource } from '../../../nodes/ingest/postgres-login';
import { type AuditedCall, recordAction } from '../audit-trail';
import {
  type EnvironmentConnection,
  environmentConnections,
  environmentUrl,
} from '../environment-connections';
import type { Context } from '../trpc';
import { procedure, router } from '../trpc';

/** An empty password field keeps the stored one. */
const passwordField = connectionPasswordSchema.optional();

const nameInput = z.object({ name: connectionNameSchema });

/** Test a connection as stored (name only), or the values of the form (its password empty: the stored one). */
const testInput = z.object({
  name: connectionNameSchema,
  values: connectionFieldsSchema.extend({ password: passwordField }).optional(),
});

export interface ListedConnection {
  name: string;
  source: 'stored' | 'environment';
  host: string;
  port: number | undefined;
  database: string;
  username: string;
  /** The mask when a password is set; null when none is. */
  password: string | null;
  options: z.infer<typeof connectionOptionsSchema> | undefined;
  updatedAt: Date | undefined;
  /** An environment connection a stored one of the same name overrides for ingest. */
  shadowed: boolean;
  /** Batch score may create and append tables through it (stored connections an admin marked). */
  allowsWrites: boolean;
}

function listed(row: ConnectionSummary): ListedConnection {
  const options = connectionOptionsSchema.safeParse(row.options);
  return {
    name: row.name,
    source: 'stored',
    host: row.host,
    port: row.port,
    database: row.database,
    username: row.username,
    password: row.hasPassword ? PASSWORD_MASK : null,
    options: options.success ? options.data : undefined,
    updatedAt: row.updatedAt,
    shadowed: false,
    allowsWrites: row.allowsWrites,
  };
}

function listedFromEnvironment(
  connection: EnvironmentConnection,
  storedNames: Set<string>,
): ListedConnection {
  return {
    name: connection.name,
    source: 'environment',
    host: connection.host,
    port: connection.port,
    database: connection.database,
    username: connection.username,
    password: connection.hasPassword ? PASSWORD_MASK : null,
    options: undefined,
    updatedAt: undefined,
    shadowed: storedNames.has(connection.name.toLowerCase()),
    allowsWrites: false,
  };
}

function connectionsKey(ctx: Context): Buffer {
  return deriveKey(ctx.services.secretKey(), 'connections');
}

/** The stored password in clear, for a test; a password the key cannot open is a clear refusal. */
function storedPassword(ctx: Context, row: SealedConnection): string | undefined {
  if (!row.passwordSealed) return undefined;
  try {
    return openPassword(connectionsKey(ctx), row.name, row.passwordSealed);
  } catch (error) {
    if (error instanceof SealedPasswordError)
      throw new TRPCError({ code: 'PRECONDITION_FAILED', message: error.message });
    throw error;
  }
}

/**
 * A stored password goes only to the server it was entered for: reusing it for another host, port
 * or user would let whoever edits the connection collect it with a server of their own. Turning TLS
 * off counts too: a password entered for an encrypted connection must not then cross the network in clear.
 */
function refuseMovedPassword(
  stored: SealedConnection,
  next: { host: string; port: number; username: string; options: ConnectionOptions },
): void {
  if (!stored.passwordSealed) return;
  const moved =
    stored.host.toLowerCase() !== next.host.toLowerCase() ||
    stored.port !== next.port ||
    stored.username !== next.username;
  if (moved)
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `Enter the password of "${stored.name}" again: its host, port or user changed, and a stored password is only sent to the server it was entered for`,
    });
  if (next.options.sslmode === 'disable' && storedSslMode(stored) !== 'disable')
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `Enter the password of "${stored.name}" again: options.sslmode changed to disable, and a stored password entered for a TLS connection is not sent in clear`,
    });
}

/** The sslmode a stored connection was saved with (its default, require, when unreadable). */
function storedSslMode(stored: SealedConnection): SslMode {
  const options = connectionOptionsSchema.safeParse(stored.options);
  return options.success ? options.data.sslmode : 'require';
}

function notFound(name: string): TRPCError {
  return new TRPCError({ code: 'NOT_FOUND', message: `No stored connection is named "${name}"` });
}

/** What the audit log keeps of a connection: never the password, only whether it changed. */
/** Records a connection change: where it points now and whether its password changed, never the password. */
function recordConnectionChange(
  ctx: AuditedCall,
  action: 'connection.created' | 'connection.updated' | 'connection.deleted',
  row: ConnectionSummary,
  passwordChanged: boolean,
): Promise<void> {
  return recordAction(ctx, {
    action,
    objectType: 'connection',
    objectId: row.name,
    objectLabel: row.name,
    details: {
      host: row.host,
      port: row.port,
      database: row.database,
      username: row.username,
      options: row.options,
      allowsWrites: row.allowsWrites,
      passwordChanged,
    },
  });
}

/** What ingest's select offers: a connection's name and where it is defined, nothing about its server. */
export interface ConnectionName {
  name: string;
  source: 'stored' | 'environment';
}

/** Every stored connection, and the environment's that no stored one of the same name overrides. */
async function allConnections(ctx: Context): Promise<ListedConnection[]> {
  const stored = (await listConnections(ctx.services.db)).map(listed);
  const storedNames = new Set(stored.map((connection) => connection.name.toLowerCase()));
  const fromEnvironment = environmentConnections(process.env).map((connection) =>
    listedFromEnvironment(connection, storedNames),
  );
  return [...stored, ...fromEnvironment];
}

/**
 * Named PostgreSQL connections for ingest nodes: anyone who reads pipelines sees the names (a
 * database's host, port and user help an attacker, so only admins see them); admins manage them.
 */
export const connectionsRouter = router({
  list: procedure('admin').query(({ ctx }) => allConnections(ctx)),

  names: procedure('read').query(
    async ({ ctx }): Promise<ConnectionName[]> =>
      (await allConnections(ctx))
        .filter((connection) => !connection.shadowed)
        .map(({ name, source }) => ({ name, source })),
  ),

  create: procedure('admin')
    .input(connectionInputSchema)
    .mutation(async ({ ctx, input }) => {
      const { password, ...values } = input;
      const sealed = password ? sealPassword(connectionsKey(ctx), values.name, password) : null;
      const row = await insertConnection(ctx.services.db, { ...values, passwordSealed: sealed });
      if (!row)
        throw new TRPCError({
          code: 'CONFLICT',
          message: `A connection named "${values.name}" already exists (names ignore case); choose another name or edit it`,
        });
      await recordConnectionChange(ctx, 'connection.created', row, sealed !== null);
      return listed(row);
    }),

  update: procedure('admin')
    .input(connectionInputSchema)
    .mutation(async ({ ctx, input }) => {
      const { password, name, ...values } = input;
      const existing = await findConnection(ctx.services.db, name);
      if (!existing) throw notFound(name);
      if (!password) refuseMovedPassword(existing, values);
      // Sealed under the stored name: the associated data must match what the worker opens it with.
      const sealed = password ? sealPassword(connectionsKey(ctx), existing.name, password) : undefined;
      const row = await updateConnection(ctx.services.db, existing.name, {
        ...values,
        passwordSealed: sealed,
      });
      if (!row) throw notFound(name);
      await recordConnectionChange(ctx, 'connection.updated', row, sealed !== undefined);
      return listed(row);
    }),

  delete: procedure('admin')
    .input(nameInput)
    .mutation(async ({ ctx, input }) => {
      const row = await deleteConnection(ctx.services.db, input.name);
      if (!row) throw notFound(input.name);
      await recordConnectionChange(ctx, 'connection.deleted', row, false);
      return { name: row.name };
    }),

  /** Logs in and runs `select 1` with ingest's own role check; ok, or the database's message without secrets. */
  test: procedure('admin')
    .input(testInput)
    .mutation(async ({ ctx, input }) => {
      const stored = await findConnection(ctx.services.db, input.name);
      if (input.values) {
        const { password, ...fields } = input.values;
        if (!password && stored) refuseMovedPassword(stored, fields);
        const login: ConnectionLogin = {
          ...fields,
          name: stored?.name ?? input.name,
          password: password || (stored ? storedPassword(ctx, stored) : undefined),
          allowsWrites: false,
        };
        return checkConnection(storedSource(login));
      }
      if (stored) {
        const fields = connectionFieldsSchema.parse(stored);
        return checkConnection(
          storedSource({
            ...fields,
            name: stored.name,
            password: storedPassword(ctx, stored),
            allowsWrites: stored.allowsWrites,
          }),
        );
      }
      const url = environmentUrl(process.env, input.name);
      if (url === undefined) throw notFound(input.name);
      return checkConnection(environmentSource(url, connectionVariable(input.name)));
    }),
});
