/**
 * Whether a failed query failed because PostgreSQL could not be reached or is not taking work
 * (down, restarting, out of connections) rather than because it refused the statement: the first
 * is retried later, the second is not worth retrying.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error) || !('code' in error) || typeof error.code !== 'string') return false;
  const code = error.code;
  if (error.name === 'PostgresError') {
    // SQLSTATE classes: 08 connection exception, 53 insufficient resources, 57 operator
    // intervention (shutdown, "the database system is starting up"), 58 system error.
    return ['08', '53', '57', '58'].some((unavailable) => code.startsWith(unavailable));
  }
  // postgres.js's own connection errors, and the socket's (ECONNREFUSED, ECONNRESET, ETIMEDOUT, …).
  return code.startsWith('CONNECT') || /^E[A-Z_]+$/.test(code);
}

/** A failure's SQLSTATE or error code, for a log line: never its message, which may quote data or SQL. */
export function databaseErrorCode(error: unknown): string {
  return error instanceof Error && 'code' in error && typeof error.code === 'string'
    ? error.code
    : 'unknown error';
}
