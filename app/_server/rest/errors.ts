import { z } from 'zod';

/** Every error the REST API answers with: a sentence, and the field it is about when there is one. */
export const errorAnswerSchema = z.object({
  error: z.string().meta({ description: 'What went wrong, in a sentence' }),
  field: z
    .string()
    .optional()
    .meta({ description: 'The path parameter or body field at fault (400 only), e.g. "parameters.rows"' }),
  errorId: z
    .string()
    .optional()
    .meta({ description: 'For 500: the id of the server log line with the details' }),
});
export type ErrorAnswer = z.infer<typeof errorAnswerSchema>;

export function errorResponse(status: number, error: string, field?: string): Response {
  const answer: ErrorAnswer = field === undefined ? { error } : { error, field };
  return Response.json(answer, { status, headers: { 'cache-control': 'no-store' } });
}

/** A refused input: the first problem, naming its field ("body" for the body as a whole). */
export class InputError extends Error {
  override name = 'InputError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** The zod error's first issue as an InputError: `parameters: must be an object …`. */
export function inputErrorOf(error: z.ZodError, where: 'path' | 'body'): InputError {
  const [issue] = error.issues;
  const field = issue?.path.length ? issue.path.map(String).join('.') : where;
  return new InputError(`${field}: ${issue?.message ?? 'is not valid'}`, field);
}

/** Bodies above this size are refused before parsing: run requests are small. */
const MAX_BODY_BYTES = 1_000_000;

/** The request's JSON body; an empty body is `{}`. */
export async function readJsonBody(request: Request): Promise<unknown> {
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
    throw new InputError(`body: is larger than ${MAX_BODY_BYTES / 1_000_000} MB`, 'body');
  }
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError('body: is not valid JSON', 'body');
  }
}
