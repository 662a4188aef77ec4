import type { MessagePort } from 'node:worker_threads';
import type { FittedModel } from '../../ml/model';
import { BoostingHelpers, type HelperLink } from './boosting-helpers';
import { fitModel } from './fit-model';
import type { FitTask } from './fit-task';

/**
 * A training thread's second entry point (piscina's `name: 'helpBoosting'`): exported from this
 * module so a thread that has fitted anything can help at once, instead of first loading and
 * compiling a module of its own while the fit it should help runs alone.
 */
export { default as helpBoosting } from './boosting-helper-thread';

/**
 * Entry point of a training thread (run by piscina): fits, posting progress on the given port. A
 * boosting fit may come with a link to helper tasks on other threads to share its work with.
 */
export default function fitInWorker({
  task,
  port,
  helpers,
}: {
  task: FitTask;
  port: MessagePort;
  helpers?: HelperLink;
}): FittedModel {
  const threads = helpers && new BoostingHelpers(helpers);
  try {
    return fitModel(task, (update) => port.postMessage(update), threads);
  } finally {
    threads?.close();
    port.close();
  }
}
