import type { Database } from '../../db/client';
import { pruneFinishedDeliveries, pruneOldNotifications } from '../../db/queries/notifications';
import type { PruneResult } from './retention.types';

/**
 * Fixed periods, not the run-files retention setting (which may be "forever"): notifications are a
 * feed, not a record, yet a failing schedule every 10 s adds ~8,640 a day. A delivery's outcome is
 * worth a month (is the webhook working?); the feed three months. The audit log keeps what matters.
 */
export const DELIVERY_KEEP_DAYS = 30;
export const NOTIFICATION_KEEP_DAYS = 90;

/** Rows per statement: short transactions, and a long backlog does not hold locks for long. */
const BATCH = 1_000;
/** Each notification deleted takes its deliveries with it (found by notification_deliveries_notification_idx). */
const NOTIFICATION_BATCH = 1_000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes delivered and failed deliveries older than DELIVERY_KEEP_DAYS, then notifications (and
 * any deliveries left with them) older than NOTIFICATION_KEEP_DAYS. Ages are the notification's.
 */
export async function pruneNotifications(
  db: Database,
  at: Date,
  /** Called after every batch: the activity heartbeats. */
  progress: () => void = () => {},
): Promise<PruneResult> {
  const result: PruneResult = { notifications: 0, deliveries: 0 };
  const deliveriesBefore = new Date(at.getTime() - DELIVERY_KEEP_DAYS * DAY_MS);
  for (;;) {
    const deleted = await pruneFinishedDeliveries(db, { before: deliveriesBefore, limit: BATCH });
    result.deliveries += deleted;
    progress();
    if (deleted < BATCH) break;
  }
  const notificationsBefore = new Date(at.getTime() - NOTIFICATION_KEEP_DAYS * DAY_MS);
  for (;;) {
    const deleted = await pruneOldNotifications(db, {
      before: notificationsBefore,
      limit: NOTIFICATION_BATCH,
    });
    result.notifications += deleted;
    progress();
    if (deleted < NOTIFICATION_BATCH) break;
  }
  return result;
}
