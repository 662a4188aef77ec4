import { randomUUID } from 'node:crypto';
import { loggableError } from '../../db/queries/loggable-error';

/**
 * What a user sees when the server fails in a way nobody planned for: no stack, no SQL, no paths,
 * only an id to quote. The log line with the same id holds the details.
 */
export function unexpectedErrorMessage(errorId: string): string {
  return `Something went wrong on the server (error id ${errorId}). The server log has the details under this id.`;
}

/**
 * Logs an unexpected error (to the app log) under an id, fresh unless given, and returns the id. A
 * failed query is logged as its text and the database's message, never its parameters.
 */
export function logUnexpectedError(error: unknown, where: string, errorId: string = randomUUID()): string {
  console.error(`[error ${errorId}] ${where}: ${loggableError(error)}`);
  return errorId;
}

/** The 500 answer of a REST route for an unexpected error, logged under the id it carries. */
export function unexpectedErrorResponse(error: unknown, where: string): Response {
  const errorId = logUnexpectedError(error, where);
  return Response.json({ error: unexpectedErrorMessage(errorId), errorId }, { status: 500 });
}
