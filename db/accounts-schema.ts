import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

/**
 * Accounts, sessions, API keys and sign-in rate limits: the tables better-auth reads and writes
 * through its drizzle adapter (app/_server/auth/auth.ts). Property names are better-auth's field
 * names, which the adapter looks up; column names are ours. Roles are the values in access/roles.ts.
 */

const time = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

export const user = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    email: text('email').notNull().unique(),
    emailVerified: boolean('email_verified').notNull().default(false),
    image: text('image'),
    createdAt: time('created_at').notNull().defaultNow(),
    updatedAt: time('updated_at').notNull().defaultNow(),
    role: text('role').notNull().default('viewer'),
    /** Deactivated: better-auth's admin plugin calls it banned, and refuses its sign-ins and sessions. */
    banned: boolean('banned').notNull().default(false),
    banReason: text('ban_reason'),
    banExpires: time('ban_expires'),
  },
  (table) => [check('users_role_valid', sql`${table.role} in ('viewer', 'editor', 'operator', 'admin')`)],
);

export const session = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    expiresAt: time('expires_at').notNull(),
    token: text('token').notNull().unique(),
    createdAt: time('created_at').notNull().defaultNow(),
    updatedAt: time('updated_at').notNull().defaultNow(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    impersonatedBy: text('impersonated_by'),
  },
  (table) => [index('sessions_user_idx').on(table.userId)],
);

/** Credentials: for email and password, providerId 'credential' and the password's scrypt hash. */
export const account = pgTable(
  'accounts',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: time('access_token_expires_at'),
    refreshTokenExpiresAt: time('refresh_token_expires_at'),
    scope: text('scope'),
    password: text('password'),
    createdAt: time('created_at').notNull().defaultNow(),
    updatedAt: time('updated_at').notNull().defaultNow(),
  },
  (table) => [index('accounts_user_idx').on(table.userId)],
);

export const verification = pgTable(
  'verifications',
  {
    id: text('id').primaryKey(),
    identifier: text('identifier').notNull(),
    value: text('value').notNull(),
    expiresAt: time('expires_at').notNull(),
    createdAt: time('created_at').notNull().defaultNow(),
    updatedAt: time('updated_at').notNull().defaultNow(),
  },
  (table) => [index('verifications_identifier_idx').on(table.identifier)],
);

/** API keys, stored hashed; `start` is the shown prefix. Scope and models are in metadata. */
export const apikey = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    configId: text('config_id').notNull().default('default'),
    name: text('name'),
    start: text('start'),
    referenceId: text('reference_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    prefix: text('prefix'),
    key: text('key').notNull(),
    refillInterval: integer('refill_interval'),
    refillAmount: integer('refill_amount'),
    lastRefillAt: time('last_refill_at'),
    enabled: boolean('enabled').default(true),
    rateLimitEnabled: boolean('rate_limit_enabled').default(false),
    rateLimitTimeWindow: integer('rate_limit_time_window'),
    rateLimitMax: integer('rate_limit_max'),
    requestCount: integer('request_count').notNull().default(0),
    remaining: integer('remaining'),
    lastRequest: time('last_request'),
    expiresAt: time('expires_at'),
    createdAt: time('created_at').notNull().defaultNow(),
    updatedAt: time('updated_at').notNull().defaultNow(),
    permissions: text('permissions'),
    metadata: text('metadata'),
  },
  (table) => [
    index('api_keys_key_idx').on(table.key),
    index('api_keys_reference_idx').on(table.referenceId),
    index('api_keys_config_idx').on(table.configId),
  ],
);

/** better-auth's per-address request counters, kept in PostgreSQL so every app process shares them. */
export const rateLimit = pgTable('auth_rate_limits', {
  id: text('id').primaryKey(),
  key: text('key').notNull().unique(),
  count: integer('count').notNull(),
  lastRequest: bigint('last_request', { mode: 'number' }).notNull(),
});

/**
 * One-time links: the first admin's setup link and invites. Only the token's SHA-256 is stored; the
 * link itself is shown once. Used links keep their row (usedAt) so a second use says it was used.
 */
export const invites = pgTable(
  'invites',
  {
    id: text('id').primaryKey(),
    tokenHash: text('token_hash').notNull().unique(),
    kind: text('kind', { enum: ['setup', 'invite'] }).notNull(),
    role: text('role').notNull(),
    email: text('email'),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: time('created_at').notNull().defaultNow(),
    expiresAt: time('expires_at').notNull(),
    usedAt: time('used_at'),
    usedBy: text('used_by').references(() => user.id, { onDelete: 'set null' }),
    revokedAt: time('revoked_at'),
  },
  (table) => [
    check('invites_kind_valid', sql`${table.kind} in ('setup', 'invite')`),
    check('invites_role_valid', sql`${table.role} in ('viewer', 'editor', 'operator', 'admin')`),
  ],
);

/**
 * Who did what, and when. Append-only: a trigger (migration 0005) refuses UPDATE, DELETE and
 * TRUNCATE, so nothing in the product can change or remove an entry. The actor's email and the
 * object's label are copied in, so an entry still reads right after a rename or deactivation.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: time('at').notNull().defaultNow(),
    /** 'user' (a session), 'key' (an API key), 'cli' (the local CLI), 'system' (setup, anonymous failures). */
    actorKind: text('actor_kind', { enum: ['user', 'key', 'cli', 'system'] }).notNull(),
    actorId: text('actor_id'),
    actorEmail: text('actor_email'),
    action: text('action').notNull(),
    objectType: text('object_type'),
    objectId: text('object_id'),
    objectLabel: text('object_label'),
    details: jsonb('details'),
    ipAddress: text('ip_address'),
  },
  (table) => [
    index('audit_log_at_idx').on(table.at.desc(), table.id.desc()),
    index('audit_log_action_at_idx').on(table.action, table.at.desc()),
    index('audit_log_actor_at_idx').on(table.actorEmail, table.at.desc()),
    index('audit_log_object_at_idx').on(table.objectType, table.objectId, table.at.desc()),
  ],
);

/**
 * Named PostgreSQL connections for ingest nodes. The password is AES-256-GCM ciphertext under the
 * installation's secret key (config/secret-key.ts): nonce, tag and ciphertext in one bytea.
 */
export const connections = pgTable(
  'connections',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull().unique(),
    host: text('host').notNull(),
    port: integer('port').notNull().default(5432),
    database: text('database').notNull(),
    username: text('username').notNull(),
    passwordSealed: bytea('password_sealed'),
    options: jsonb('options').notNull().default({}),
    /**
     * Whether Batch score steps may create and append tables through it. Off by default: ingest only
     * reads, in a read-only transaction; a write is an admin's decision per connection.
     */
    allowsWrites: boolean('allows_writes').notNull().default(false),
    createdAt: time('created_at').notNull().defaultNow(),
    updatedAt: time('updated_at').notNull().defaultNow(),
  },
  (table) => [
    check('connections_name_valid', sql`${table.name} ~ '^[A-Za-z][A-Za-z0-9_]{0,62}$'`),
    check('connections_port_range', sql`${table.port} between 1 and 65535`),
  ],
);
