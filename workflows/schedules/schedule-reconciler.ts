import { loggableMessage } from '../../db/queries/loggable-error';
import { withScheduleReconcileLock } from '../../db/queries/schedules';
import { type ReconciledSchedules, reconcileSchedules } from './reconcile-schedules';
import type { ScheduleServiceDeps } from './schedule-service';

/**
 * reconcileSchedules now and every minute: a change whose commit failed after Temporal took it, a
 * delete left half-way, a schedule Temporal lost or one changed in Temporal's own UI is put right
 * within a minute, not at the next worker start. Returns null when another worker holds the pass.
 */
export async function reconcileSchedulesOnce(deps: ScheduleServiceDeps): Promise<ReconciledSchedules | null> {
  return withScheduleReconcileLock(deps.db, () => reconcileSchedules(deps));
}

export function startScheduleReconciler(
  deps: ScheduleServiceDeps,
  options: { intervalMs?: number; log?: (line: string) => void } = {},
): { first: Promise<void>; stop(): Promise<void> } {
  const intervalMs = options.intervalMs ?? 60_000;
  const log = options.log ?? ((line: string) => console.log(line));
  let pass: Promise<void> = Promise.resolve();
  let busy = false;
  const tick = () => {
    if (busy) return pass;
    busy = true;
    pass = reconcileSchedulesOnce({ ...deps, log: deps.log ?? log })
      .then((result) => {
        if (!result) return;
        const { recreated, rewritten, deleted } = result;
        if (recreated.length) log(`recreated ${recreated.length} schedules missing in Temporal`);
        if (rewritten.length)
          log(`rewrote ${rewritten.length} schedules whose settings in Temporal differed`);
        if (deleted.length) log(`finished deleting ${deleted.length} schedules`);
      })
      .catch((error: unknown) => log(`could not reconcile schedules: ${loggableMessage(error)}`))
      .finally(() => {
        busy = false;
      });
    return pass;
  };
  const first = tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    first,
    async stop() {
      clearInterval(timer);
      await pass;
    },
  };
}
