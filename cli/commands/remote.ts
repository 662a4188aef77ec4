import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import type { Output } from '../output';
import { callRemote, type RemoteServer, remoteParameters } from '../remote';
import { isFinished, printRunView, type RunView, runViewSchema } from '../run-view';
import { CliError } from '../session';
import type { RunFlags } from './run';

/** `run` and `status` against PIPEWRIGHT_URL: the REST API, with the key in PIPEWRIGHT_API_KEY. */

const startedRunSchema = z.object({ runId: z.string(), status: z.string() });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** How often `run --wait` asks the server whether the run has ended. */
const POLL_INTERVAL_MS = 1_000;

function readRun(server: RemoteServer, runId: string): Promise<RunView> {
  return callRemote(server, 'GET', `/api/v1/runs/${encodeURIComponent(runId)}`, runViewSchema);
}

/** `pipewright run PIPELINE_ID [--param name=value]… [--wait]` on the remote server. */
export async function remoteRunCommand(
  server: RemoteServer,
  target: string,
  flags: RunFlags,
  out: Output,
): Promise<number> {
  if (!UUID.test(target)) {
    throw new CliError(
      `Against ${server.url.origin}, run takes a PIPELINE_ID (from the pipeline's address in the web app), not "${target}".`,
    );
  }
  const started = await callRemote(server, 'POST', `/api/v1/pipelines/${target}/runs`, startedRunSchema, {
    parameters: remoteParameters(flags.params),
  });
  if (!flags.wait) {
    out.print(
      out.json
        ? JSON.stringify({ runId: started.runId, status: started.status })
        : `Started run ${started.runId}`,
    );
    return 0;
  }
  out.progress(`Run ${started.runId} started on ${server.url.origin}; waiting for it to finish…`);
  let view = await readRun(server, started.runId);
  while (!isFinished(view)) {
    await delay(POLL_INTERVAL_MS);
    view = await readRun(server, started.runId);
  }
  printRunView(view, out);
  return view.status === 'succeeded' ? 0 : 1;
}

/** `pipewright status RUN_ID` on the remote server. */
export async function remoteStatusCommand(server: RemoteServer, runId: string, out: Output): Promise<number> {
  if (!UUID.test(runId)) throw new CliError(`status takes a RUN_ID, not "${runId}"`);
  printRunView(await readRun(server, runId), out);
  return 0;
}
