import { APIError, createAuthMiddleware, getSessionFromCtx } from 'better-auth/api';
import type { Database } from '../../db/client';
import { recordAudit } from '../../db/queries/audit';
import { clientAddress } from './client-address';
import { NOT_AN_EMAIL, signInEmail, signInRefusal } from './sign-in-limits';

/**
 * better-auth hooks that write sign-ins, failures, sign-outs and password changes to the audit log,
 * and refuse sign-in to an account that failed too often lately (sign-in-limits.ts; the
 * per-address limit is better-auth's own rate limiter).
 */
export function signInAuditHooks(db: Database) {
  return {
    before: createAuthMiddleware(async (ctx) => {
      const ipAddress = clientAddress(ctx.headers, ctx.context.options);
      if (ctx.path === '/sign-in/email') {
        const email = signInEmail(ctx.body);
        if (email === undefined) return;
        const refusal = await signInRefusal(db, email, ipAddress);
        if (refusal !== undefined) {
          await recordAudit(db, {
            actorKind: 'system',
            action: 'sign-in.refused',
            objectType: 'account',
            objectId: email,
            objectLabel: email,
            details: { reason: 'too many failed sign-ins' },
            ipAddress,
          });
          throw new APIError('TOO_MANY_REQUESTS', { message: refusal });
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
      const ipAddress = clientAddress(ctx.headers, ctx.context.options);
      const returned = ctx.context.returned;
      const failed = returned instanceof APIError;
      if (ctx.path === '/sign-in/email') {
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
        } else if (failed && returned.status !== 'TOO_MANY_REQUESTS') {
          // Whatever was typed as the email goes into the log only when it is one.
          const email = signInEmail(ctx.body) ?? NOT_AN_EMAIL;
          await recordAudit(db, {
            actorKind: 'system',
            action: 'sign-in.failed',
            objectType: 'account',
            objectId: email,
            objectLabel: email,
            details: { reason: returned.message },
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
