import type { z } from 'zod';
import { NotFoundError } from '../../../db/queries/pipelines';
import { ReusedFilesDeletedError } from '../../../db/queries/runs';
import { findNul } from '../../../pipeline/document';
import { CompileError } from '../../../workflows/run-service';
import {
  type CallerPermission,
  type GuardedContext,
  type GuardedRoute,
  guardRoute,
} from '../auth/route-guard';
import { errorResponse, InputError, inputErrorOf, readJsonBody } from './errors';

/**
 * One REST operation: its path, the permission its guard checks, and the zod schemas its handler
 * validates with. The OpenAPI document (openapi.ts) is written from the same objects, so the
 * document cannot drift from what the handlers accept and answer.
 */
export interface RestOperation<
  Params extends z.ZodObject = z.ZodObject,
  Body extends z.ZodType = z.ZodType,
  Answer extends z.ZodType = z.ZodType,
> {
  method: 'GET' | 'POST';
  /** The OpenAPI path: `/api/v1/runs/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  description: string;
  /** Every operation needs a caller (a key, or a session): none is public. */
  permission: CallerPermission;
  params: Params;
  /** Undefined: the operation reads no body. */
  body?: Body;
  answer: Answer;
  successStatus: 200 | 201 | 202;
  /** Error statuses the handler itself answers (400, 404…); the guard's 401/403 and 500 are added. */
  errorStatuses: number[];
  handle(
    input: { params: z.output<Params>; body: z.output<Body> | undefined },
    context: GuardedContext<unknown>,
  ): Promise<z.input<Answer>>;
}

/**
 * The route handler of an operation: guarded by its permission, path and body parsed with its
 * schemas (400 naming the field), its answer checked against its schema, and the run service's
 * refusals mapped (404 for an unknown pipeline or run, 400 for a pipeline that does not compile).
 */
export function restRoute<Params extends z.ZodObject, Body extends z.ZodType, Answer extends z.ZodType>(
  operation: RestOperation<Params, Body, Answer>,
): GuardedRoute<Record<string, string>> {
  return guardRoute<Record<string, string>>(operation.permission, async (request, context) => {
    try {
      const params = operation.params.safeParse(context.params);
      if (!params.success) throw inputErrorOf(params.error, 'path');
      const body = operation.body ? await parseBody(request, operation.body) : undefined;
      const answer = await operation.handle({ params: params.data, body }, context);
      return Response.json(operation.answer.parse(answer), {
        status: operation.successStatus,
        headers: { 'cache-control': 'no-store' },
      });
    } catch (error) {
      if (error instanceof InputError) return errorResponse(400, error.message, error.field);
      if (error instanceof NotFoundError) return errorResponse(404, error.message);
      if (error instanceof CompileError)
        return errorResponse(400, `The pipeline cannot run: ${error.message}`, 'parameters');
      if (error instanceof ReusedFilesDeletedError) return errorResponse(409, error.message);
      throw error;
    }
  });
}

async function parseBody<Body extends z.ZodType>(request: Request, schema: Body): Promise<z.output<Body>> {
  const raw = await readJsonBody(request);
  // PostgreSQL text cannot hold NUL: refuse it here, naming where, rather than fail the insert.
  const nul = findNul(raw);
  if (nul !== undefined) {
    const field = nul.map((part) => String(part).replaceAll('\0', '\\0')).join('.') || 'body';
    throw new InputError(
      `${field}: contains a NUL character (\\0), which Pipewright does not accept in text`,
      field,
    );
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw inputErrorOf(parsed.error, 'body');
  return parsed.data;
}
