import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { roleSchema } from '../../../access/roles';
import type { Database } from '../../../db/client';
import { recordAudit } from '../../../db/queries/audit';
import {
  claimInvite,
  findInviteByToken,
  type Invite,
  recordInviteUser,
  releaseInvite,
} from '../../../db/queries/invites';
import { countUsers, findUserByEmail } from '../../../db/queries/users';
import { publicProcedure, router } from '../trpc';

const tokenSchema = z.string().min(1).max(200);

export const joinInputSchema = z.object({
  token: tokenSchema,
  name: z.string().trim().min(1, 'Enter your name').max(100),
  email: z.email('Enter an email address').max(320),
  password: z.string().min(10, 'Use at least 10 characters').max(256),
});

type LinkState = 'valid' | 'expired' | 'used' | 'revoked' | 'unknown' | 'closed';

function stateOf(invite: Invite | undefined, now: Date): LinkState {
  if (!invite) return 'unknown';
  if (invite.revokedAt) return 'revoked';
  if (invite.usedAt) return 'used';
  if (invite.expiresAt <= now) return 'expired';
  return 'valid';
}

/** A link's state, where a setup link closes as soon as any account exists. */
async function linkState(db: Database, invite: Invite | undefined, now: Date): Promise<LinkState> {
  const state = stateOf(invite, now);
  if (state === 'valid' && invite?.kind === 'setup' && (await countUsers(db)) > 0) return 'closed';
  return state;
}

function duplicateEmail(email: string): TRPCError {
  return new TRPCError({ code: 'CONFLICT', message: `${email} already has an account: sign in instead.` });
}

const refusals: Record<Exclude<LinkState, 'valid'>, string> = {
  unknown:
    'This link is not valid. Ask an admin for a new invite (or, for the first admin, restart `npm start` for a new setup link).',
  expired:
    'This link has expired. Ask an admin for a new invite (or, for the first admin, restart `npm start` for a new setup link).',
  used: 'This link has already been used. Sign in instead, or ask an admin for a new invite.',
  revoked: 'This link was withdrawn. Ask an admin for a new invite.',
  closed:
    'An account already exists, so this setup link no longer works. Sign in, or ask an admin for an invite.',
};

/** The setup link and invites: public, since the person opening them has no account yet. */
export const joinRouter = router({
  describe: publicProcedure.input(z.object({ token: tokenSchema })).query(async ({ ctx, input }) => {
    const invite = await findInviteByToken(ctx.services.db, input.token);
    const state = await linkState(ctx.services.db, invite, new Date());
    return {
      state,
      message: state === 'valid' ? undefined : refusals[state],
      kind: state === 'valid' ? invite?.kind : undefined,
      role: state === 'valid' ? invite?.role : undefined,
      email: state === 'valid' ? (invite?.email ?? undefined) : undefined,
    };
  }),

  accept: publicProcedure.input(joinInputSchema).mutation(async ({ ctx, input }) => {
    const { db } = ctx.services;
    const invite = await findInviteByToken(db, input.token);
    const state = await linkState(db, invite, new Date());
    if (!invite || state !== 'valid') {
      throw new TRPCError({ code: 'UNAUTHORIZED', message: refusals[state === 'valid' ? 'unknown' : state] });
    }
    const email = input.email.trim().toLowerCase();
    if (invite.email && invite.email !== email) {
      throw new TRPCError({ code: 'BAD_REQUEST', message: `This invite is for ${invite.email}.` });
    }
    if (await findUserByEmail(db, email)) throw duplicateEmail(email);
    const role = roleSchema.parse(invite.role);
    const claim = await claimInvite(db, invite);
    if (!claim.ok) {
      throw new TRPCError({
        code: 'CONFLICT',
        message: claim.reason === 'users-exist' ? refusals.closed : refusals.used,
      });
    }
    let userId: string;
    try {
      const created = await ctx.services.auth().api.createUser({
        body: { email, password: input.password, name: input.name, role },
      });
      userId = created.user.id;
    } catch (error) {
      await releaseInvite(db, invite.id);
      // Another request made the same account since the check above (better-auth's own check or the
      // table's unique email refused it): say so, rather than a raw library or database error.
      if (await findUserByEmail(db, email)) throw duplicateEmail(email);
      throw error;
    }
    await recordInviteUser(db, invite.id, userId);
    await recordAudit(db, {
      actorKind: 'user',
      actorId: userId,
      actorEmail: email,
      action: invite.kind === 'setup' ? 'user.setup' : 'user.joined',
      objectType: 'user',
      objectId: userId,
      objectLabel: email,
      details: { role, inviteId: invite.id },
      ipAddress: ctx.ipAddress,
    });
    return { email, role };
  }),
});
