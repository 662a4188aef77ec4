import { procedure, router } from '../trpc';

/** The signed-in caller's own account. */
export const accountRouter = router({
  me: procedure('signedIn').query(({ ctx }) => ({
    userId: ctx.actor.userId,
    email: ctx.actor.email,
    name: ctx.actor.name,
    role: ctx.actor.role,
  })),
});
