import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Database } from '../../db/client';
import { loggableMessage } from '../../db/queries/loggable-error';
import { markWorkflowStarted, unstartedTemporalDeliveries } from '../../db/queries/temporal-deliveries';
import { type DeliveryRetry, deliveryWorkflowId } from './delivery.types';

/**
 * Starts a delivery workflow for each temporal-sent delivery not yet marked started, then marks
 * it. The workflow id is the delivery's, and Temporal refuses a second workflow of that id (running
 * or closed): a notifier that died between starting and marking starts nothing twice, it only
 * marks what is already running.
 */
export async function startDeliveryWorkflows(deps: {
  db: Database;
  temporal: Client;
  taskQueue: string;
  retry: DeliveryRetry;
  log: (line: string) => void;
}): Promise<number> {
  let started = 0;
  for (;;) {
    const ids = await unstartedTemporalDeliveries(deps.db, 50);
    if (ids.length === 0) return started;
    let progressed = false;
    for (const deliveryId of ids) {
      try {
        await deps.temporal.workflow.start('deliveryWorkflow', {
          workflowId: deliveryWorkflowId(deliveryId),
          taskQueue: deps.taskQueue,
          args: [{ deliveryId, retry: deps.retry }],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        });
        started++;
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) {
          deps.log(`could not start delivery ${deliveryId}: ${loggableMessage(error)}`);
          continue;
        }
      }
      await markWorkflowStarted(deps.db, deliveryId);
      progressed = true;
    }
    // Temporal refused every one (it is down): the next pass tries them again.
    if (!progressed) return started;
  }
}
