import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { ZodError, z } from 'zod';
import { NotFoundError } from '../../db/queries/pipelines';
import { DocumentError } from '../../pipeline/document';
import { CompileError } from '../../workflows/run-service';
import type { Services } from './services';

export interface Context {
  services: Services;
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  // Clients get the message, field errors for bad input and the compiler's problems; never a stack.
  errorFormatter({ shape, error }) {
    const { stack: _stack, ...data } = shape.data;
    const cause = error.cause;
    return {
      ...shape,
      data: {
        ...data,
        fieldErrors: cause instanceof ZodError ? z.flattenError(cause).fieldErrors : undefined,
        problems: cause instanceof CompileError ? cause.problems : undefined,
        documentIssues: cause instanceof DocumentError ? cause.issues : undefined,
      },
    };
  },
});

/** Our domain errors become the matching HTTP-ish codes, keeping their message and cause. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (cause instanceof NotFoundError)
    throw new TRPCError({ code: 'NOT_FOUND', message: cause.message, cause });
  if (cause instanceof CompileError || cause instanceof DocumentError) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: cause.message, cause });
  }
  return result;
});

export const router = t.router;
export const publicProcedure = t.procedure.use(domainErrors);
export const createCallerFactory = t.createCallerFactory;
