import type { MessagePort } from 'node:worker_threads';
import type { FittedModel } from '../../ml/model';
import { fitModel } from './fit-model';
import type { FitTask } from './fit-task';

/** Entry point of a training thread (run by piscina): fits, posting progress on the given port. */
export default function fitInWorker({ task, port }: { task: FitTask; port: MessagePort }): FittedModel {
  try {
    return fitModel(task, (update) => port.postMessage(update));
  } finally {
    port.close();
  }
}
