import { apiKey } from '@better-auth/api-key';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { admin } from 'better-auth/plugins';
import { adminAc, userAc } from 'better-auth/plugins/admin/access';
import type { Database } from '../../db/client';
import * as schema from '../../db/schema';
import { logAuthLine } from './auth-logger';
import { signInAuditHooks } from './sign-in-audit';

export interface AuthOptions {
  db: Database;
  /** The key sessions are signed with (deriveKey(secret, 'sessions')). */
  secret: Buffer;
  /** Where users reach the app: links, cookie security and the allowed origin come from it. */
  publicOrigin: URL;
  /** Other origins whose pages may sign in (the loopback names the proxy also answers). */
  otherOrigins?: string[];
  /**
   * Addresses or CIDR ranges of the reverse proxies in front of the app (PIPEWRIGHT_TRUSTED_PROXIES):
   * the client's address is the first one in X-Forwarded-For, from the right, that is not one of
   * them. Empty: only a single-address header is taken (client-address.ts says how far to trust it).
   */
  trustedProxies?: string[];
}

export const API_KEY_PREFIX = 'pw_';
/** The prefix plus 8 random characters: shown in lists and accepted by `keys revoke PREFIX`. */
export const API_KEY_SHOWN_CHARACTERS = API_KEY_PREFIX.length + 8;

/** Sign-in attempts one address may make per minute (better-auth's limiter, counted in PostgreSQL). */
export const SIGN_IN_ATTEMPTS_PER_ADDRESS = 10;

/**
 * Better-auth's HTTP endpoints that Pipewright does not offer: users, roles and keys are managed
 * through the app's own procedures, which check roles and write the audit log. The route's
 * allow-list (auth-routes.ts) already answers 404 for these; this list is a second fence should the
 * handler ever be mounted elsewhere. The server still calls these functions directly (auth.api.*).
 */
const closedPaths = [
  '/sign-up/email',
  '/update-user',
  '/change-email',
  '/delete-user',
  '/request-password-reset',
  '/reset-password',
  '/set-password',
  '/admin/create-user',
  '/admin/list-users',
  '/admin/get-user',
  '/admin/update-user',
  '/admin/set-role',
  '/admin/ban-user',
  '/admin/unban-user',
  '/admin/impersonate-user',
  '/admin/stop-impersonating',
  '/admin/revoke-user-session',
  '/admin/revoke-user-sessions',
  '/admin/remove-user',
  '/admin/set-user-password',
  '/admin/list-user-sessions',
  '/admin/has-permission',
  '/api-key/create',
  '/api-key/update',
  '/api-key/delete',
  '/api-key/get',
  '/api-key/list',
  '/api-key/verify',
  '/api-key/delete-all-expired-api-keys',
];

/** One better-auth instance per process: sessions, passwords, API keys and sign-in limits. */
export function createAuth({
  db,
  secret,
  publicOrigin,
  otherOrigins = [],
  trustedProxies = [],
}: AuthOptions) {
  return betterAuth({
    appName: 'Pipewright',
    baseURL: publicOrigin.origin,
    basePath: '/api/auth',
    secret: secret.toString('base64'),
    trustedOrigins: [publicOrigin.origin, ...otherOrigins],
    telemetry: { enabled: false },
    // Its own log lines go through the same redaction as the app's: no query parameters, no secrets.
    logger: { log: logAuthLine },
    // An unexpected error (a failed query) is thrown to the route, which logs it redacted under an
    // error id, instead of being printed whole (parameters and all) by better-call's router.
    onAPIError: { throw: true },
    database: drizzleAdapter(db, {
      provider: 'pg',
      schema: {
        user: schema.user,
        session: schema.session,
        account: schema.account,
        verification: schema.verification,
        apikey: schema.apikey,
        rateLimit: schema.rateLimit,
      },
    }),
    emailAndPassword: {
      enabled: true,
      // Accounts come from the setup link, invites and the CLI only.
      disableSignUp: true,
      minPasswordLength: 10,
      maxPasswordLength: 256,
    },
    session: {
      expiresIn: 60 * 60 * 24 * 7,
      updateAge: 60 * 60 * 24,
    },
    rateLimit: {
      // On in every mode (better-auth turns it off outside production by default), and kept in
      // PostgreSQL so every app process counts together and a restart does not reset the count.
      enabled: true,
      storage: 'database',
      window: 60,
      max: 300,
      customRules: {
        '/sign-in/email': { window: 60, max: SIGN_IN_ATTEMPTS_PER_ADDRESS },
        '/change-password': { window: 60, max: SIGN_IN_ATTEMPTS_PER_ADDRESS },
      },
    },
    disabledPaths: closedPaths,
    advanced: {
      cookiePrefix: 'pipewright',
      useSecureCookies: publicOrigin.protocol === 'https:',
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax' },
      ipAddress: { trustedProxies },
    },
    hooks: signInAuditHooks(db),
    plugins: [
      admin({
        defaultRole: 'viewer',
        adminRoles: ['admin'],
        roles: { viewer: userAc, editor: userAc, operator: userAc, admin: adminAc },
        bannedUserMessage: 'This account has been deactivated. Ask an admin to reactivate it.',
      }),
      apiKey({
        defaultPrefix: API_KEY_PREFIX,
        startingCharactersConfig: { shouldStore: true, charactersLength: API_KEY_SHOWN_CHARACTERS },
        enableMetadata: true,
        // The plugin's default is 10 requests a day per key. Keys call the REST API, tRPC and (issue
        // 14) predictions, which must not be throttled per key; abuse is handled by revoking the key.
        rateLimit: { enabled: false },
        maximumNameLength: 64,
        keyExpiration: { defaultExpiresIn: null },
      }),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;
