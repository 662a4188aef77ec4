import { APIError, createAuthMiddleware, getSessionFromCtx } from 'better-auth/api';
import type { Database } from '../../db/client';
import { recordAudit } from '../../db/queries/audit';
import { clientAddress } from './client-address';
import { NOT_AN_EMAIL, signInEmail, signInRefusal } from './sign-in-limits';

/** A signed-in user's own sign-in, sign-out or password change. */
function recordOwnAction(
  db: Database,
  user: { id: string; email: string },
  action: 'sign-in' | 'sign-out' | 'password.changed',
  ipAddress: string | null,
): Promise<void> {
  return recordAudit(db, {
    actorKind: 'user',
    actorId: user.id,
    actorEmail: user.email,
    action,
    objectType: 'user',
    objectId: user.id,
    objectLabel: user.email,
    ipAddress,
  });
}

/** A sign-in nobody is behind yet (failed or refused), filed under the account it named. */
function recordAccountEvent(
  db: Database,
  action: 'sign-in.failed' | 'sign-in.refused',
  email: string,
  reason: string,
  ipAddress: string | null,
): Promise<void> {
  return recordAudit(db, {
    actorKind: 'system',
    action,
    objectType: 'account',
    objectId: email,
    objectLabel: email,
    details: { reason },
    ipAddress,
  });
}

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
          await recordAccountEvent(db, 'sign-in.refused', email, 'too many failed sign-ins', ipAddress);
          throw new APIError('TOO_MANY_REQUESTS', { message: refusal });
        }
      }
      if (ctx.path === '/sign-out') {
        const session = await getSessionFromCtx(ctx);
        if (session) {
          await recordOwnAction(db, session.user, 'sign-out', ipAddress);
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
          await recordOwnAction(db, session.user, 'sign-in', ipAddress);
        } else if (failed && returned.status !== 'TOO_MANY_REQUESTS') {
          // Whatever was typed as the email goes into the log only when it is one.
          const email = signInEmail(ctx.body) ?? NOT_AN_EMAIL;
          await recordAccountEvent(db, 'sign-in.failed', email, returned.message, ipAddress);
        }
      }
      if (ctx.path === '/change-password' && !failed) {
        const session = ctx.context.session;
        if (session) {
          await recordOwnAction(db, session.user, 'password.changed', ipAddress);
        }
      }
    }),
  };
}
