import type { Env } from '../../config/env';
import type { Output } from '../output';
import { localRunView, printRunView } from '../run-view';
import { CliError, openDatabase } from '../session';

/** `pipewright status RUN_ID`: a run's status, steps and metrics, from the local database. */
export async function statusCommand(runId: string, env: Env, out: Output): Promise<number> {
  if (!/^[0-9a-f-]{36}$/i.test(runId)) throw new CliError(`status takes a RUN_ID, not "${runId}"`);
  const database = openDatabase(env);
  try {
    const view = await localRunView(database.db, runId);
    if (!view) throw new CliError(`No run with id ${runId}`);
    printRunView(view, out);
    return 0;
  } finally {
    await database.close();
  }
}
