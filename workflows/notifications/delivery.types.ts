import { DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_BASE_MS, MAX_RETRY_WAIT_MS } from './retry-delay';

/**
 * A Temporal workflow per delivery (model alerts): its activity makes one attempt, and Temporal's
 * retry policy brings the next, waiting longer each time, like the notifier's own loop
 * (retry-delay.ts: 30 s, ×4 each time, at most 8 h, 8 attempts). The waits are the workflow's
 * input, so a test can make them short.
 */
export interface DeliveryRetry {
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs: number;
  maximumAttempts: number;
}

export const DEFAULT_DELIVERY_RETRY: DeliveryRetry = {
  initialIntervalMs: DEFAULT_RETRY_BASE_MS,
  backoffCoefficient: 4,
  maximumIntervalMs: MAX_RETRY_WAIT_MS,
  maximumAttempts: DEFAULT_MAX_ATTEMPTS,
};

export interface DeliveryWorkflowInput {
  deliveryId: string;
  retry: DeliveryRetry;
}

export type DeliveryResult = 'delivered' | 'failed' | 'gone';

export interface DeliveryActivities {
  /**
   * One attempt, logged: 'delivered', or 'gone' when the delivery no longer waits (removed with its
   * webhook, or finished before). Throws a retryable failure when the receiver may yet take it, a
   * non-retryable one when it refused for good or this was the last attempt.
   */
  attemptDelivery(input: { deliveryId: string; maximumAttempts: number }): Promise<'delivered' | 'gone'>;
  /** Ends the delivery failed when its attempts ran out (a no-op when already ended). */
  giveUpDelivery(input: { deliveryId: string }): Promise<void>;
}

/** One workflow per delivery: starting it twice (a notifier that died before marking it) is harmless. */
export function deliveryWorkflowId(deliveryId: string): string {
  return `notification-delivery-${deliveryId}`;
}
