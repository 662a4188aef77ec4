import type { Client } from '@temporalio/client';
import type { Database, Sql } from '../../db/client';
import { loggableMessage } from '../../db/queries/loggable-error';
import {
  claimDueDeliveries,
  fanOutPending,
  NOTIFICATIONS_CHANNEL,
  recordDeliveryAttempt,
} from '../../db/queries/notifications';
import { PIPELINE_TASK_QUEUE } from '../task-queue';
import { DEFAULT_DELIVERY_RETRY, type DeliveryRetry } from './delivery.types';
import { startDeliveryWorkflows } from './delivery-starter';
import { DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_BASE_MS, retryDelayMs } from './retry-delay';
import { checkScheduleCounts } from './schedule-watch';
import { type SendDeps, sendDelivery } from './send-delivery';

/**
 * The worker's notifier: turns notifications into deliveries (fanOutPending) and sends those that
 * are due, off the pipeline workflow, so a slow or dead receiver never holds a run. Everything is a
 * row: a notifier that stops mid-way leaves pending rows the next pass (on any worker) picks up. It
 * wakes on NOTIFY of a new notification and otherwise polls, which also brings retries when due.
 * Model alerts' deliveries are not sent here: each pass starts a Temporal workflow for each new one
 * (delivery.workflow.ts), whose retry policy brings its attempts.
 */
export interface NotifierDeps extends SendDeps {
  db: Database;
  sql: Sql;
  /**
   * For the schedule check and for starting model alerts' delivery workflows; without it neither
   * happens (those deliveries wait, pending, for a notifier that has it).
   */
  temporal?: Client;
  log?: (line: string) => void;
}

export interface NotifierOptions {
  pollMs?: number;
  /** The first retry's wait; each next one waits four times longer (retry-delay.ts). */
  retryBaseMs?: number;
  /** Attempts per delivery, counting those whose worker died before recording an outcome. */
  maxAttempts?: number;
  scheduleCheckMs?: number;
  /** How long a claimed delivery is left to its attempt before another notifier may try it again. */
  leaseMs?: number;
  /** The task queue of the workers that run delivery workflows; the pipeline task queue by default. */
  taskQueue?: string;
  /** The delivery workflows' retry policy (tests make its waits short). */
  deliveryRetry?: DeliveryRetry;
}

/**
 * An attempt that has not recorded its outcome after this long is tried again. A webhook call gives
 * up after 5 s and an email after about 30 s; a minute is well beyond either.
 */
const LEASE_MS = 60_000;
const BATCH = 20;

export function startNotifier(deps: NotifierDeps, options: NotifierOptions = {}) {
  const pollMs = options.pollMs ?? 5_000;
  const retryBaseMs = options.retryBaseMs ?? DEFAULT_RETRY_BASE_MS;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const leaseMs = options.leaseMs ?? LEASE_MS;
  const scheduleCheckMs = options.scheduleCheckMs ?? 60_000;
  const log = deps.log ?? ((line: string) => console.log(line));
  let stopped = false;
  let pass: Promise<void> = Promise.resolve();
  let busy = false;
  let again = false;

  const onePass = async () => {
    await fanOutPending(deps.db);
    // Started after the fan-out, from rows: deliveries made by a pass whose worker died before
    // starting their workflows are started by the next pass, here or on any worker.
    if (deps.temporal)
      await startDeliveryWorkflows({
        db: deps.db,
        temporal: deps.temporal,
        taskQueue: options.taskQueue ?? PIPELINE_TASK_QUEUE,
        retry: options.deliveryRetry ?? DEFAULT_DELIVERY_RETRY,
        log,
      });
    for (;;) {
      const due = await claimDueDeliveries(deps.db, { limit: BATCH, leaseMs, maxAttempts });
      if (due.length === 0) return;
      await Promise.all(
        due.map(async (delivery) => {
          const outcome = await sendDelivery(deps, delivery);
          // The target is named by its id: a webhook URL may hold a secret.
          const target = `notification ${delivery.channel} ${delivery.webhookId ?? 'email'} attempt ${delivery.attempts}`;
          const retryAt =
            !outcome.ok && outcome.retry && delivery.attempts < maxAttempts
              ? new Date(Date.now() + retryDelayMs(delivery.attempts, retryBaseMs))
              : null;
          if (!outcome.ok) log(`${target}: ${outcome.error}${retryAt ? '; retrying' : '; giving up'}`);
          const attempt = {
            id: delivery.id,
            attempt: delivery.attempts,
            httpStatus: outcome.httpStatus,
            durationMs: outcome.durationMs,
          };
          const recorded = await recordDeliveryAttempt(
            deps.db,
            outcome.ok
              ? { ...attempt, delivered: true }
              : { ...attempt, delivered: false, error: outcome.error, retryAt },
          );
          if (!recorded) log(`${target}: took longer than its lease; its outcome was not recorded`);
        }),
      );
    }
  };

  const tick = () => {
    if (stopped) return;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    pass = onePass()
      .catch((error: unknown) => log(`could not send notifications: ${loggableMessage(error)}`))
      .finally(() => {
        busy = false;
        if (again) {
          again = false;
          tick();
        }
      });
  };

  let scheduleCheck: Promise<void> = Promise.resolve();
  const checkSchedules = () => {
    const temporal = deps.temporal;
    if (!temporal || stopped) return;
    scheduleCheck = scheduleCheck
      .then(() => checkScheduleCounts({ db: deps.db, temporal }))
      .then((recorded) => {
        if (recorded) tick();
      })
      .catch((error: unknown) => log(`could not check schedules: ${loggableMessage(error)}`));
  };

  const listening = deps.sql
    .listen(NOTIFICATIONS_CHANNEL, () => tick())
    .catch((error: unknown) => {
      log(`notifications: polling only, LISTEN failed: ${loggableMessage(error)}`);
      return null;
    });
  tick();
  checkSchedules();
  const timer = setInterval(tick, pollMs);
  timer.unref();
  const scheduleTimer = setInterval(checkSchedules, scheduleCheckMs);
  scheduleTimer.unref();

  return {
    /** Runs a pass now (tests, and the schedule check's findings). */
    wake: tick,
    checkSchedules: async () => {
      checkSchedules();
      await scheduleCheck;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearInterval(scheduleTimer);
      await (await listening)?.unlisten();
      await pass;
      await scheduleCheck;
    },
  };
}

export type Notifier = ReturnType<typeof startNotifier>;
