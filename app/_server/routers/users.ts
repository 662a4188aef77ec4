import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { roleSchema } from '../../../access/roles';
import { publicUrl } from '../../../config/env';
import { createInvite, findInviteById, listOpenInvites, revokeInvite } from '../../../db/queries/invites';
import {
  type AccountChange,
  changeUserRole,
  findUserById,
  listUsers,
  setUserDeactivated,
  type UserRow,
} from '../../../db/queries/users';
import { type AuditedCall, recordAction } from '../audit-trail';
import { env } from '../env';
import { procedure, router } from '../trpc';

/** How long an invite link works. */
export const INVITE_VALID_MS = 7 * 24 * 60 * 60 * 1000;

const userIdSchema = z.object({ userId: z.string().min(1, 'Name the user (userId)').max(200) });

export const inviteInputSchema = z.object({
  role: roleSchema,
  email: z.email('email must be an email address, or left out for a link anyone may use').max(320).optional(),
});

/** A refused change becomes a sentence: 404 for an unknown account, 409 for the last admin. */
function appliedOrThrow(change: AccountChange, what: string): UserRow {
  if (change.ok) return change.before;
  if (change.reason === 'not-found')
    throw new TRPCError({ code: 'NOT_FOUND', message: 'There is no such user.' });
  throw new TRPCError({
    code: 'CONFLICT',
    message: `This is the last active admin: ${what} would leave nobody able to manage users. Make another user an admin first.`,
  });
}

function inviteLink(token: string): string {
  return new URL(`/join/${token}`, publicUrl(env)).toString();
}

/** Deactivates or reactivates an account, auditing only a real change (a repeat changes nothing). */
async function setDeactivated(ctx: AuditedCall, userId: string, deactivated: boolean) {
  const before = appliedOrThrow(
    await setUserDeactivated(ctx.services.db, userId, deactivated),
    deactivated ? 'deactivating it' : 'reactivating it',
  );
  if (before.banned !== deactivated) {
    await recordAction(ctx, {
      action: deactivated ? 'user.deactivated' : 'user.reactivated',
      objectType: 'user',
      objectId: before.id,
      objectLabel: before.email,
      details: { role: before.role },
    });
  }
  return { userId: before.id, deactivated };
}

/** The admin's user management: accounts, roles, deactivation and invites. Every change is audited. */
export const usersRouter = router({
  list: procedure('admin').query(({ ctx }) => listUsers(ctx.services.db)),

  invites: procedure('admin').query(async ({ ctx }) => {
    const open = await listOpenInvites(ctx.services.db);
    return open.map(({ id, role, email, createdAt, expiresAt }) => ({
      id,
      role,
      email,
      createdAt,
      expiresAt,
    }));
  }),

  /** Makes a one-time link; the link is in this answer only (the database keeps its hash). */
  invite: procedure('admin')
    .input(inviteInputSchema)
    .mutation(async ({ ctx, input }) => {
      const { db } = ctx.services;
      const invite = await createInvite(db, {
        kind: 'invite',
        role: input.role,
        email: input.email,
        // An API key's owner made it; a test actor may have no account row.
        createdBy: (await findUserById(db, ctx.actor.userId))?.id,
        validForMs: INVITE_VALID_MS,
      });
      await recordAction(ctx, {
        action: 'user.invited',
        objectType: 'invite',
        objectId: invite.id,
        objectLabel: input.email?.trim().toLowerCase() ?? `any ${input.role}`,
        details: { role: input.role, email: input.email?.trim().toLowerCase() ?? null },
      });
      return { id: invite.id, link: inviteLink(invite.token), expiresAt: invite.expiresAt };
    }),

  revokeInvite: procedure('admin')
    .input(z.object({ inviteId: z.string().min(1, 'Name the invite (inviteId)').max(200) }))
    .mutation(async ({ ctx, input }) => {
      const { db } = ctx.services;
      const invite = await findInviteById(db, input.inviteId);
      if (invite?.kind !== 'invite') {
        throw new TRPCError({ code: 'NOT_FOUND', message: 'There is no such invite.' });
      }
      if (!(await revokeInvite(db, invite.id))) {
        throw new TRPCError({
          code: 'CONFLICT',
          message: 'This invite was already used or withdrawn; nothing changed.',
        });
      }
      await recordAction(ctx, {
        action: 'invite.revoked',
        objectType: 'invite',
        objectId: invite.id,
        objectLabel: invite.email ?? `any ${invite.role}`,
        details: { role: invite.role, email: invite.email },
      });
      return { revoked: true };
    }),

  changeRole: procedure('admin')
    .input(userIdSchema.extend({ role: roleSchema }))
    .mutation(async ({ ctx, input }) => {
      const before = appliedOrThrow(
        await changeUserRole(ctx.services.db, input.userId, input.role),
        'changing its role',
      );
      const from = before.role;
      if (from !== input.role) {
        await recordAction(ctx, {
          action: 'user.role-changed',
          objectType: 'user',
          objectId: before.id,
          objectLabel: before.email,
          details: { from, to: input.role },
        });
      }
      return { userId: before.id, role: input.role };
    }),

  deactivate: procedure('admin')
    .input(userIdSchema)
    .mutation(async ({ ctx, input }) => {
      if (input.userId === ctx.actor.userId) {
        throw new TRPCError({
          code: 'FORBIDDEN',
          message: 'You cannot deactivate your own account: ask another admin to do it.',
        });
      }
      return setDeactivated(ctx, input.userId, true);
    }),

  reactivate: procedure('admin')
    .input(userIdSchema)
    .mutation(async ({ ctx, input }) => {
      return setDeactivated(ctx, input.userId, false);
    }),
});
