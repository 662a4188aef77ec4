import { initTRPC } from '@trpc/server';
import superjson from 'superjson';
import { ZodError, z } from 'zod';

export interface Context {
  headers: Headers;
}

export function createContext(options: { headers: Headers }): Context {
  return { headers: options.headers };
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  // Clients get the message and, for bad input, the field errors; never a stack trace.
  errorFormatter({ shape, error }) {
    const { stack: _stack, ...data } = shape.data;
    return {
      ...shape,
      data: {
        ...data,
        fieldErrors: error.cause instanceof ZodError ? z.flattenError(error.cause).fieldErrors : undefined,
      },
    };
  },
});

export const router = t.router;
export const publicProcedure = t.procedure;
export const createCallerFactory = t.createCallerFactory;
