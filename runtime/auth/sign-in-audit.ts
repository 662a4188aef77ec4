import { APIError, createAuthMiddleware, getSessionFromCtx } from 'better-auth/api';
import { z } from 'zod';
import type { Database } from '../../db/client';
import { countFailedSignIns, recordAudit } from '../../db/queries/audit';

/** Failed sign-ins one account may have within the window before further attempts are refused. */
export const FAILED_SIGN_INS_PER_ACCOUNT = 5;
export const FAILED_SIGN_IN_WINDOW_MINUTES = 15;

const signInBody = z.object({ email: z.string() });

/** The client's address as the app's server saw it (Next sets X-Forwarded-For when no proxy did). */
export function clientAddress(headers: Headers | undefined): string | null {
  return headers?.get('x-forwarded-for')?.split(',')[0]?.trim() || null;
}

function emailOf(body: unknown): string | undefined {
  const parsed = signInBody.safeParse(body);
  return parsed.success ? parsed.data.email.trim().toLowerCase().slice(0, 320) : undefined;
}

/**
 * better-auth hooks that write sign-ins, failures, sign-outs and password changes to the audit log,
 * and refuse sign-in to an account that failed too often lately (the per-address limit is
 * better-auth's own rate limiter).
 */
export function signInAuditHooks(db: Database) {
  return {
    before: createAuthMiddleware(async (ctx) => {
      const ipAddress = clientAddress(ctx.headers);
      if (ctx.path === '/sign-in/email') {
        const email = emailOf(ctx.body);
        if (email === undefined) return;
        const since = new Date(Date.now() - FAILED_SIGN_IN_WINDOW_MINUTES * 60_000);
        if ((await countFailedSignIns(db, email, since)) >= FAILED_SIGN_INS_PER_ACCOUNT) {
          await recordAudit(db, {
            actorKind: 'system',
            action: 'sign-in.refused',
            objectType: 'account',
            objectId: email,
            objectLabel: email,
            details: { reason: 'too many failed sign-ins' },
            ipAddress,
          });
          throw new APIError('TOO_MANY_REQUESTS', {
            message: `Too many failed sign-ins for ${email}: try again in ${FAILED_SIGN_IN_WINDOW_MINUTES} minutes, or ask an admin to set a new password.`,
          });
        }
      }
      if (ctx.path === '/sign-out') {
        const session = await getSessionFromCtx(ctx);
        if (session) {
          await recordAudit(db, {
            actorKind: 'user',
            actorId: session.user.id,
            actorEmail: session.user.email,
            action: 'sign-out',
            objectType: 'user',
            objectId: session.user.id,
            objectLabel: session.user.email,
            ipAddress,
          });
        }
      }
    }),
    after: createAuthMiddleware(async (ctx) => {
      const ipAddress = clientAddress(ctx.headers);
      const failed = ctx.context.returned instanceof APIError;
      if (ctx.path === '/sign-in/email') {
        const email = emailOf(ctx.body);
        const session = ctx.context.newSession;
        if (!failed && session) {
          await recordAudit(db, {
            actorKind: 'user',
            actorId: session.user.id,
            actorEmail: session.user.email,
            action: 'sign-in',
            objectType: 'user',
            objectId: session.user.id,
            objectLabel: session.user.email,
            ipAddress,
          });
        } else if (failed && email !== undefined) {
          const returned = ctx.context.returned;
          await recordAudit(db, {
            actorKind: 'system',
            action: 'sign-in.failed',
            objectType: 'account',
            objectId: email,
            objectLabel: email,
            details: { reason: returned instanceof APIError ? returned.message : 'failed' },
            ipAddress,
          });
        }
      }
      if (ctx.path === '/change-password' && !failed) {
        const session = ctx.context.session;
        if (session) {
          await recordAudit(db, {
            actorKind: 'user',
            actorId: session.user.id,
            actorEmail: session.user.email,
            action: 'password.changed',
            objectType: 'user',
            objectId: session.user.id,
            objectLabel: session.user.email,
            ipAddress,
          });
        }
      }
    }),
  };
}
