import { NodeInputError } from '../_kit/errors';
import { type PostgresSource, refusePowerfulRole, scrubbedMessage } from './postgres-login';

/** What "Test connection" reports: the role it logged in as, or why it failed (never the password). */
export type ConnectionCheck =
  | { ok: true; role: string; serverVersion: string }
  | { ok: false; message: string };

/** Seconds a test waits for the server: an admin is waiting at the button. */
const TEST_CONNECT_TIMEOUT_SECONDS = 5;

/**
 * Logs in with a connection's values, runs `select 1`, and applies ingest's own role check, so a
 * connection that tests ok is one an ingest step will use.
 */
export async function checkConnection(source: PostgresSource): Promise<ConnectionCheck> {
  const sql = source.open({ connectTimeoutSeconds: TEST_CONNECT_TIMEOUT_SECONDS });
  try {
    const [row] = await sql<{ one: number; version: string }[]>`
      select 1 as one, current_setting('server_version') as version`;
    const role = await refusePowerfulRole(sql, source);
    return { ok: true, role, serverVersion: row?.version ?? '' };
  } catch (error) {
    if (error instanceof NodeInputError) return { ok: false, message: error.message };
    return { ok: false, message: `Cannot connect to ${source.where}: ${scrubbedMessage(error, source)}` };
  } finally {
    await sql.end({ timeout: 2 }).catch(() => {});
  }
}
