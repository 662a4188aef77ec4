import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/** A configuration problem the user can fix; its message is shown as one line, no stack trace. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** An unset or blank variable reads as the fallback (undefined when there is none). */
function text(fallback?: string) {
  return z
    .string()
    .trim()
    .optional()
    .transform((value) => (value ? value : fallback));
}

/** An IP address, or a CIDR range (address/prefix length). */
function isAddressOrRange(entry: string): boolean {
  const [address = '', prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** Comma-separated IP addresses and CIDR ranges; unset is none. */
function addressList() {
  return text()
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ''),
    )
    .refine(
      (entries) => entries.every(isAddressOrRange),
      'must be IP addresses or CIDR ranges separated by commas, for example 10.0.0.5,172.18.0.0/16',
    );
}

/** Every environment variable Pipewright reads, in one place, checked once. */
export const envSchema = z.object({
  DATABASE_URL: text().refine(
    (value) => value === undefined || /^postgres(ql)?:\/\/[^/]/.test(value),
    'must look like postgres://user:password@host:5432/database',
  ),
  TEMPORAL_ADDRESS: text().refine(
    (value) => value === undefined || /^[^\s:/]+:\d{1,5}$/.test(value),
    'must be host:port, for example 127.0.0.1:7233',
  ),
  TEMPORAL_NAMESPACE: text('default').pipe(z.string()),
  TEMPORAL_CLI: text(),
  /** Task queue override: lets tests and side-by-side installs keep their workers apart. */
  PIPEWRIGHT_TASK_QUEUE: text(),
  PORT: text('3000').pipe(
    z
      .string()
      .regex(/^\d+$/, 'must be a port number between 1 and 65535')
      .transform(Number)
      .pipe(z.number().min(1, 'must be between 1 and 65535').max(65535, 'must be between 1 and 65535')),
  ),
  /** Port of the serving process (`npm run serve`); it binds to HOST like the app. */
  SERVE_PORT: text('3001').pipe(
    z
      .string()
      .regex(/^\d+$/, 'must be a port number between 1 and 65535')
      .transform(Number)
      .pipe(z.number().min(1, 'must be between 1 and 65535').max(65535, 'must be between 1 and 65535')),
  ),
  /** Where clients reach the serving process; the app forwards /api/v1/models/… there. Defaults to http://127.0.0.1:SERVE_PORT. */
  PIPEWRIGHT_SERVE_URL: text().refine(
    (value) => value === undefined || /^https?:\/\/[^/\s]+\/?$/.test(value),
    'must be the origin of the serving process, for example http://127.0.0.1:3001',
  ),
  /** `off` stops the serving process from logging predictions (benchmarks measure the log's cost with it). */
  PIPEWRIGHT_PREDICTION_LOG: text('on').pipe(z.enum(['on', 'off'], { error: 'must be on or off' })),
  /** Days the prediction log keeps its records (0 keeps them forever). */
  PIPEWRIGHT_PREDICTION_LOG_DAYS: text('30').pipe(
    z.string().regex(/^\d+$/, 'must be a whole number of days').transform(Number),
  ),
  DATA_DIR: text('.data').pipe(z.string().transform((dir) => path.resolve(dir))),
  /** Interface the web app listens on: loopback unless the operator opens it on purpose. */
  HOST: text('127.0.0.1').pipe(
    z.string().regex(/^[\w.:-]+$/, 'must be an IP address or host name, for example 127.0.0.1 or 0.0.0.0'),
  ),
  /** The address users reach the app at; Host and Origin checks (and later links) use it. Defaults to http://localhost:PORT. */
  PIPEWRIGHT_PUBLIC_URL: text().refine(
    (value) => value === undefined || /^https?:\/\/[^/\s]+\/?$/.test(value),
    'must be the origin users open, for example https://pipewright.example.com',
  ),
  /** Extra folders (separated by the path delimiter) whose files ingest nodes may read, besides DATA_DIR/uploads. */
  PIPEWRIGHT_DATA_FOLDERS: text().transform((value) =>
    value === undefined
      ? []
      : value
          .split(path.delimiter)
          .map((dir) => dir.trim())
          .filter((dir) => dir !== '')
          .map((dir) => path.resolve(dir)),
  ),
  /** Total size all uploads together may take, in bytes (default 20 GiB). */
  PIPEWRIGHT_UPLOAD_QUOTA_BYTES: text(String(20 * 1024 ** 3)).pipe(
    z.string().regex(/^\d+$/, 'must be a whole number of bytes').transform(Number),
  ),
  /**
   * The installation's secret (32 bytes, base64 or hex): signs sessions and encrypts stored connection
   * passwords. Unset: DATA_DIR/secret.key, generated on first start (config/secret-key.ts).
   */
  PIPEWRIGHT_SECRET_KEY: text(),
  /**
   * The SMTP server notification emails go through (smtp://user:password@host:587, or smtps:// for
   * TLS from the start). Unset: pipelines notify webhooks and the app only.
   */
  PIPEWRIGHT_SMTP_URL: text().refine(
    (value) => value === undefined || /^smtps?:\/\/[^\s/]+\/?(\?\S*)?$/.test(value),
    'must be an SMTP address, for example smtp://user:password@mail.example.com:587',
  ),
  /** The sender of notification emails. */
  PIPEWRIGHT_SMTP_FROM: text('Pipewright <pipewright@localhost>').pipe(z.string()),
  /** A remote Pipewright: the CLI's run and status talk to its REST API instead of the local database. */
  PIPEWRIGHT_URL: text().refine(
    (value) => value === undefined || /^https?:\/\/[^\s/]+(\/\S*)?$/.test(value),
    'must be the address of the Pipewright server, for example https://pipewright.example.com',
  ),
  /** The API key the CLI sends to PIPEWRIGHT_URL (Authorization: Bearer). */
  PIPEWRIGHT_API_KEY: text(),
  /**
   * The reverse proxies in front of the app (addresses or CIDR ranges, comma-separated) that append
   * the client's address to X-Forwarded-For: sign-in limits and the audit log then take the address
   * the nearest untrusted hop added. Unset: the address is whatever the request claims.
   */
  PIPEWRIGHT_TRUSTED_PROXIES: addressList(),
  /**
   * Addresses or CIDR ranges (comma-separated) that webhooks may reach although they are loopback,
   * private or link-local; unset, webhooks reach public addresses only (an in-house chat server on
   * 10.1.2.3 needs PIPEWRIGHT_WEBHOOK_ALLOW=10.1.2.3).
   */
  PIPEWRIGHT_WEBHOOK_ALLOW: addressList(),
});

/** Where users reach the app: PIPEWRIGHT_PUBLIC_URL, or http://localhost:PORT. */
export function publicUrl(env: Env): URL {
  return new URL(env.PIPEWRIGHT_PUBLIC_URL ?? `http://localhost:${env.PORT}`);
}

/** Where the serving process is reached: PIPEWRIGHT_SERVE_URL, or http://127.0.0.1:SERVE_PORT. */
export function serveUrl(env: Env): URL {
  return new URL(env.PIPEWRIGHT_SERVE_URL ?? `http://127.0.0.1:${env.SERVE_PORT}`);
}

export type Env = z.infer<typeof envSchema>;

export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
  throw new ConfigError(`Invalid environment: ${problems.join('; ')}`);
}
