import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Database } from '../../db/client';
import {
  findTemporalDelivery,
  giveUpTemporalDelivery,
  recordTemporalAttempt,
} from '../../db/queries/temporal-deliveries';
import type { DeliveryActivities } from './delivery.types';
import { type SendDeps, sendDelivery } from './send-delivery';

export interface DeliveryActivityDeps extends SendDeps {
  db: Database;
}

/** The failure type of an attempt that may succeed later (Temporal retries it). */
export const DELIVERY_RETRY_FAILURE = 'DeliveryNotYetAccepted';
/** The failure type of a refusal for good, or of the last attempt. */
export const DELIVERY_REFUSED_FAILURE = 'DeliveryRefused';

export function createDeliveryActivities(deps: DeliveryActivityDeps): DeliveryActivities {
  return {
    async attemptDelivery({ deliveryId, maximumAttempts }) {
      const delivery = await findTemporalDelivery(deps.db, deliveryId);
      if (delivery?.status !== 'pending') return 'gone';
      const attempt = Context.current().info.attempt;
      const outcome = await sendDelivery(deps, delivery);
      const last = attempt >= maximumAttempts;
      const recorded = {
        id: deliveryId,
        attempt,
        httpStatus: outcome.httpStatus,
        durationMs: outcome.durationMs,
      };
      if (outcome.ok) {
        await recordTemporalAttempt(deps.db, { ...recorded, outcome: { kind: 'delivered' } });
        return 'delivered';
      }
      const retry = outcome.retry && !last;
      await recordTemporalAttempt(deps.db, {
        ...recorded,
        outcome: { kind: retry ? 'retrying' : 'failed', error: outcome.error },
      });
      // The message is ours (never the URL): it shows in Temporal's UI and the worker's log.
      if (retry) throw ApplicationFailure.retryable(outcome.error, DELIVERY_RETRY_FAILURE);
      throw ApplicationFailure.nonRetryable(outcome.error, DELIVERY_REFUSED_FAILURE);
    },
    giveUpDelivery: ({ deliveryId }) => giveUpTemporalDelivery(deps.db, deliveryId),
  };
}
