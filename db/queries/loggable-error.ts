import { DrizzleQueryError } from 'drizzle-orm';

/**
 * An error as a log line may show it. A failed query's error carries its parameters (session
 * tokens, password hashes, sealed passwords): drizzle puts them in its message as `params: …`, and
 * postgres.js keeps them beside the query. The line says which query failed and why, never with what.
 */
export function loggableError(error: unknown): string {
  if (error instanceof DrizzleQueryError) return queryFailure(error);
  if (!(error instanceof Error)) return loggableText(String(error));
  const described = loggableText(error.stack ?? `${error.name}: ${error.message}`);
  return error.cause instanceof Error ? `${described}\ncaused by: ${loggableError(error.cause)}` : described;
}

/** An error's name, message and code only: for errors whose other properties may hold anything. */
export function errorHeadline(error: unknown): string {
  if (error instanceof DrizzleQueryError) return queryFailure(error, false);
  if (!(error instanceof Error)) return loggableText(String(error));
  const code = 'code' in error && typeof error.code === 'string' ? ` (code ${error.code})` : '';
  return loggableText(`${error.name}: ${error.message}${code}`);
}

/** An error's message alone (a failed query's: its text and cause), for lines that name the error's context. */
export function loggableMessage(error: unknown): string {
  if (error instanceof DrizzleQueryError) return queryFailure(error, false);
  return loggableText(error instanceof Error ? error.message : String(error));
}

function queryFailure(error: DrizzleQueryError, withFrames = true): string {
  const cause = error.cause === undefined ? 'none given' : errorHeadline(error.cause);
  const frames = withFrames ? framesOf(error.stack) : '';
  return `Failed query: ${error.query}\n(its parameters are not logged)\ncause: ${cause}${frames}`;
}

/** The `at …` lines of a stack: where it failed, without the message above them. */
function framesOf(stack: string | undefined): string {
  const frames = (stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  return frames.length ? `\n${frames.join('\n')}` : '';
}

/**
 * Text fit for a log line. Drizzle's message is "Failed query: …\nparams: …": text that copied it (an
 * error wrapping another, a logger given only the message) loses the parameters up to the stack
 * frames or the end.
 */
export function loggableText(text: string): string {
  return text.replace(/\nparams: [\s\S]*?(?=\n\s+at |$)/g, '\nparams: (not logged)');
}
