import { randomUUID } from 'node:crypto';
import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { ZodError, z } from 'zod';
import type { Permission } from '../../access/roles';
import { NotFoundError } from '../../db/queries/pipelines';
import { ReusedFilesDeletedError } from '../../db/queries/runs';
import { DocumentError, findNul } from '../../pipeline/document';
import { ModelRequestError } from '../../runtime/models/promotion';
import { CompileError } from '../../workflows/run-service';
import { InvalidScheduleError } from '../../workflows/schedules/schedule-inputs';
import { SchedulerUnavailableError } from '../../workflows/schedules/scheduler-errors';
import type { Actor } from './auth/actor';
import { refusalOf } from './auth/authorize';
import type { Reauthorize } from './auth/reauthorize';
import type { Services } from './services';
import { logUnexpectedError, unexpectedErrorMessage } from './unexpected-error';

export interface Context {
  services: Services;
  /** Who is calling (null: nobody signed in and no key); every procedure's permission is checked against it. */
  actor: Actor | null;
  /** The caller's address, for the audit log. */
  ipAddress: string | null;
  /** Whether the caller may still do this now: live subscriptions ask again while they run. */
  reauthorize: Reauthorize;
}

/** Every procedure declares the one permission it needs (access/roles.ts); the matrix test reads it. */
export interface ProcedureMeta {
  permission: Permission;
}

/** Bad input in words, each problem naming its field ("name: Give the key a name"), not zod's JSON. */
function inputProblems(error: ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

/** One id per failed call, shared by its log line (onError) and its answer (errorFormatter). */
const errorIds = new WeakMap<TRPCError, string>();

function errorIdOf(error: TRPCError): string {
  let errorId = errorIds.get(error);
  if (errorId === undefined) {
    errorId = randomUUID();
    errorIds.set(error, errorId);
  }
  return errorId;
}

/**
 * An error nobody planned for: tRPC wraps whatever a procedure throws that is not a TRPCError
 * (a failed query, a bug) as INTERNAL_SERVER_ERROR with that error as its cause. Its message may
 * hold SQL, parameters or paths, so it is logged, never shown.
 */
function isUnexpected(error: TRPCError): boolean {
  return error.code === 'INTERNAL_SERVER_ERROR' && error.cause !== undefined;
}

/** The route's onError: every server-side failure (500) goes to the log under the id its answer shows. */
export function logServerError({ error, path }: { error: TRPCError; path?: string }): void {
  if (error.code !== 'INTERNAL_SERVER_ERROR') return;
  logUnexpectedError(error.cause ?? error, `tRPC ${path ?? '(no procedure)'}`, errorIdOf(error));
}

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    transformer: superjson,
    // Clients get the message, field errors for bad input and the compiler's problems; never a stack,
    // and for an unexpected error only a generic message with the id of its log line.
    errorFormatter({ shape, error }) {
      const { stack: _stack, ...data } = shape.data;
      const cause = error.cause;
      const serverError = error.code === 'INTERNAL_SERVER_ERROR';
      const errorId = serverError ? errorIdOf(error) : undefined;
      return {
        ...shape,
        message:
          errorId !== undefined && isUnexpected(error) ? unexpectedErrorMessage(errorId) : shape.message,
        data: {
          ...data,
          errorId,
          fieldErrors: cause instanceof ZodError ? z.flattenError(cause).fieldErrors : undefined,
          problems: cause instanceof CompileError ? cause.problems : undefined,
          documentIssues: cause instanceof DocumentError ? cause.issues : undefined,
        },
      };
    },
  });

/** A registry request that cannot be done (runtime/models/promotion.ts) says why with its code. */
const modelErrorCodes = {
  'not-found': 'NOT_FOUND',
  conflict: 'CONFLICT',
  invalid: 'BAD_REQUEST',
  forbidden: 'FORBIDDEN',
} as const;

/** Our domain errors become the matching HTTP-ish codes, keeping their message and cause. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (cause instanceof NotFoundError)
    throw new TRPCError({ code: 'NOT_FOUND', message: cause.message, cause });
  // Bad input (tRPC's own parse of the procedure's input): a sentence, where tRPC would give zod's JSON.
  if (cause instanceof ZodError && result.error.code === 'BAD_REQUEST')
    throw new TRPCError({ code: 'BAD_REQUEST', message: inputProblems(cause), cause });
  if (cause instanceof ModelRequestError)
    throw new TRPCError({ code: modelErrorCodes[cause.reason], message: cause.message, cause });
  if (cause instanceof CompileError || cause instanceof DocumentError) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: cause.message, cause });
  }
  if (cause instanceof ReusedFilesDeletedError)
    throw new TRPCError({ code: 'CONFLICT', message: cause.message, cause });
  // The schedule service's refusals name their field; an unreachable Temporal changed nothing.
  if (cause instanceof InvalidScheduleError)
    throw new TRPCError({ code: 'BAD_REQUEST', message: cause.message, cause });
  if (cause instanceof SchedulerUnavailableError)
    throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: cause.message, cause });
  return result;
});

/**
 * PostgreSQL text cannot hold NUL, and a NUL reaching a query fails it with the query's text: refuse
 * it in any input, naming where it is.
 */
const rejectNul = t.middleware(async ({ getRawInput, next }) => {
  const where = findNul(await getRawInput());
  if (where !== undefined) {
    const shown = where.map((part) => String(part).replaceAll('\0', '\\0')).join('.');
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `${shown || 'The input'} contains a NUL character (\\0), which Pipewright does not accept in text`,
    });
  }
  return next();
});

/**
 * The one authorization check: runs before the input is parsed, so a refused caller learns nothing
 * about the input's shape. A procedure built without a permission is refused to everyone.
 */
const authorize = t.middleware(({ ctx, meta, next }) => {
  if (meta === undefined) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'This procedure declares no permission' });
  }
  const refusal = refusalOf(ctx.actor, meta.permission);
  if (refusal !== undefined) {
    throw new TRPCError({
      code: refusal.status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN',
      message: refusal.message,
    });
  }
  return next();
});

/** Like authorize, but the procedure may rely on an actor being present. */
const requireActor = t.middleware(({ ctx, next }) => {
  if (ctx.actor === null) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first.' });
  return next({ ctx: { actor: ctx.actor } });
});

export const router = t.router;

/** A procedure anybody may call, signed in or not (health, the setup and invite pages). */
export const publicProcedure = t.procedure.meta({ permission: 'public' }).use(domainErrors).use(rejectNul);

/** A procedure that needs this permission; its ctx.actor is the caller. */
export function procedure(permission: Exclude<Permission, 'public'>) {
  return t.procedure.meta({ permission }).use(authorize).use(requireActor).use(domainErrors).use(rejectNul);
}
export const createCallerFactory = t.createCallerFactory;
