import postgres from 'postgres';

// The embedded cluster listens on loopback only; its password is generated per install (postgres-password.ts).
export const EMBEDDED_USER = 'postgres';

export function embeddedDatabaseUrl(port: number, password: string): string {
  return `postgres://${EMBEDDED_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}

/** Connects once and asks the server's version; the error names the host without the password. */
export async function checkDatabaseReachable(url: string): Promise<string> {
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    const [row] = await sql<{ version: string }[]>`select current_setting('server_version') as version`;
    return row?.version ?? 'unknown';
  } catch (error) {
    throw new Error(`Cannot reach PostgreSQL at ${describeDatabaseUrl(url)}: ${errorText(error)}`);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** Runs one statement over a short-lived connection (setting the password on an upgraded cluster). */
export async function runStatement(url: string, statement: string): Promise<void> {
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await sql.unsafe(statement);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** host:port/database of a connection string, never its password. */
export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? `${error.code} ` : '';
    return `${code}${error.message}`.trim();
  }
  return String(error);
}
