import { z } from 'zod';

/**
 * What a named PostgreSQL connection holds, shared by the admin page, its procedures, the worker
 * that resolves a name for an ingest step, and the environment's PIPEWRIGHT_CONNECTION_<NAME>.
 */
export const CONNECTION_NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

export const connectionNameSchema = z
  .string()
  .trim()
  .regex(CONNECTION_NAME, 'Use letters, digits and _, starting with a letter (at most 63), e.g. SALES_DB');

export const sslModes = ['disable', 'require', 'verify-full'] as const;
export type SslMode = (typeof sslModes)[number];

/** Statement timeouts beyond a day are a mistake, not a setting. */
const DAY_MS = 86_400_000;

export const connectionOptionsSchema = z.object({
  /** Most milliseconds one statement may run; 5 minutes when unset. */
  statementTimeoutMs: z
    .number()
    .int('Statement timeout must be a whole number of milliseconds')
    .min(1, 'Statement timeout must be at least 1 ms')
    .max(DAY_MS, 'Statement timeout must be at most a day (86400000 ms)')
    .optional(),
  /** disable: plain TCP; require: TLS without checking the certificate; verify-full: TLS with it checked. */
  sslmode: z.enum(sslModes).default('require'),
  /** What the database's pg_stat_activity shows for Pipewright's sessions. */
  applicationName: z
    .string()
    .trim()
    .max(63, 'Application name must be at most 63 characters')
    .regex(/^[\x20-\x7e]*$/, 'Application name must be printable ASCII')
    .optional(),
});
export type ConnectionOptions = z.infer<typeof connectionOptionsSchema>;

/** Host, port, database and user of a connection: what the admin form sends besides the password. */
export const connectionFieldsSchema = z.object({
  host: z
    .string()
    .trim()
    .min(1, 'Enter the host')
    .max(253, 'Host must be at most 253 characters')
    .regex(/^[A-Za-z0-9._:[\]-]+$/, 'Host must be a host name or an IP address'),
  port: z
    .number()
    .int('Port must be a whole number')
    .min(1, 'Port must be between 1 and 65535')
    .max(65535, 'Port must be between 1 and 65535'),
  database: z.string().trim().min(1, 'Enter the database').max(63, 'Database must be at most 63 characters'),
  username: z.string().trim().min(1, 'Enter the user').max(63, 'User must be at most 63 characters'),
  options: connectionOptionsSchema,
});

export const connectionPasswordSchema = z.string().max(1024, 'Password must be at most 1024 characters');

/** What the admin form sends to create or update a connection; an empty password keeps the stored one. */
export const connectionInputSchema = connectionFieldsSchema.extend({
  name: connectionNameSchema,
  password: connectionPasswordSchema.optional(),
  /** Batch score steps may create and append tables through it (stored connections only). */
  allowsWrites: z.boolean().default(false),
});
export type ConnectionInput = z.infer<typeof connectionInputSchema>;

/** A stored connection, ready to log in with: its password decrypted. Never logged, never answered. */
export interface ConnectionLogin extends z.infer<typeof connectionFieldsSchema> {
  name: string;
  password: string | undefined;
  /** An admin marked it writable; a PIPEWRIGHT_CONNECTION_<NAME> never is. */
  allowsWrites: boolean;
}

/** The worker's look-up of a stored connection by name (case-insensitive); undefined when none is stored. */
export type ConnectionLookup = (name: string) => Promise<ConnectionLogin | undefined>;

/** The environment variable holding a connection's URL. */
export function connectionVariable(name: string): string {
  return `PIPEWRIGHT_CONNECTION_${name.toUpperCase()}`;
}

/** What stands for a password: in lists (that one is set, never what it is) and in scrubbed messages. */
export const PASSWORD_MASK = '••••••••';

/**
 * A database error's message fit to show: the secrets given (password, URL) and any postgres://
 * URL are masked, since drivers sometimes echo what they were given.
 */
export function scrubSecrets(message: string, secrets: readonly (string | undefined)[]): string {
  let scrubbed = message.replace(/postgres(?:ql)?:\/\/\S+/gi, 'postgres://…');
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)]))
      scrubbed = scrubbed.replaceAll(form, PASSWORD_MASK);
  }
  return scrubbed;
}
