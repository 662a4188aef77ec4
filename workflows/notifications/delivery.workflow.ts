import { ActivityFailure, proxyActivities } from '@temporalio/workflow';
import type { DeliveryActivities, DeliveryResult, DeliveryWorkflowInput } from './delivery.types';

/**
 * Sends one notification delivery (a model alert's webhook or email): one activity attempt at a
 * time, retried by Temporal with backoff until it is delivered, refused for good, or out of
 * attempts. Each attempt logs itself; the delivery row ends delivered or failed.
 */
export async function deliveryWorkflow(input: DeliveryWorkflowInput): Promise<DeliveryResult> {
  const { attemptDelivery } = proxyActivities<DeliveryActivities>({
    // A webhook gives up after 5 s, an email after about 30 s.
    startToCloseTimeout: '1 minute',
    retry: {
      initialInterval: input.retry.initialIntervalMs,
      backoffCoefficient: input.retry.backoffCoefficient,
      maximumInterval: input.retry.maximumIntervalMs,
      maximumAttempts: input.retry.maximumAttempts,
    },
  });
  const { giveUpDelivery } = proxyActivities<DeliveryActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
  });
  try {
    return await attemptDelivery({
      deliveryId: input.deliveryId,
      maximumAttempts: input.retry.maximumAttempts,
    });
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    // Refused for good, or out of attempts (some perhaps cut short before logging): failed.
    await giveUpDelivery({ deliveryId: input.deliveryId });
    return 'failed';
  }
}
