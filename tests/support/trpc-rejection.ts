import { TRPCError } from '@trpc/server';

/** The TRPCError a procedure call rejects with, for assertions on its code and message; fails otherwise. */
export async function rejection(call: Promise<unknown>): Promise<TRPCError> {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
  return error;
}
