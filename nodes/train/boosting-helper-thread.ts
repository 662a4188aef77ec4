import { receiveMessageOnPort } from 'node:worker_threads';
import { runStep, type Step } from '../../ml/boosting/threads';
import { type HelperJob, type HelperStart, withWorkspace } from './boosting-helpers';
import { HelperFailed, HelperSignals } from './helper-signals';

/**
 * A boosting helper: a task on a training pool thread (fit-pool.ts) that takes chunks of each step
 * a boosting fit on another thread hands out (boosting-helpers.ts), until the fit ends. It
 * blocks in Atomics.wait between steps and never returns to the event loop meanwhile, so it takes
 * each step from its port synchronously.
 */
export default function helpBoosting({ cells, port }: HelperStart): void {
  const signals = new HelperSignals(cells);
  const workspaces = new Map<number, Step['workspace']>();
  try {
    signals.markReady();
    for (let seen = signals.waitForJob(0); seen !== null; seen = signals.waitForJob(seen)) {
      const { step, tag } = nextStep(port, workspaces);
      // A job whose chunks were all taken before this helper woke is over already: skip it.
      if (signals.isOpen(tag)) runStep(step, signals.helperTeam(tag));
    }
    port.close();
  } catch (error) {
    // The first helper to fail tells the fitting thread why; the others just stop.
    if (!(error instanceof HelperFailed)) {
      port.postMessage(error instanceof Error ? (error.stack ?? error.message) : String(error));
      signals.fail();
    }
    throw error;
  }
}

/**
 * The step just signalled: the fitting thread posts it before signalling, and a posted message is
 * on the receiving port's queue as soon as postMessage returns. Its workspace is the one posted
 * with it, or with an earlier step.
 */
function nextStep(
  port: HelperStart['port'],
  workspaces: Map<number, Step['workspace']>,
): { step: Step; tag: number } {
  const received = receiveMessageOnPort(port);
  if (!received) throw new Error('A step was signalled but its message is not on the port');
  // Posted by BoostingHelpers.run in this process, so it is a HelperJob (checking every field of
  // every step would cost more than many steps take).
  const job: HelperJob = received.message;
  if (job.workspace) workspaces.set(job.workspaceId, job.workspace);
  const workspace = workspaces.get(job.workspaceId);
  if (!workspace) throw new Error(`Step ${job.fields.kind} came before its workspace`);
  return { step: withWorkspace(job.fields, workspace), tag: job.tag };
}
