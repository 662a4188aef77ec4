import { ScheduleNotFoundError } from '@temporalio/client';

/**
 * Whether Temporal knows each schedule, remembered for a minute. Lists of schedules (the Schedules
 * page and the editor's panel, refreshed every few seconds in every open browser) would otherwise ask
 * Temporal once per schedule per refresh; a schedule goes missing only when Temporal's own database
 * is lost, which a minute's delay in showing does not change (the worker's next start recreates it).
 */
const REMEMBER_MS = 60_000;

const known = new Map<string, { present: boolean; at: number }>();

/** `describe` asks Temporal; it throws ScheduleNotFoundError when the schedule is not there. */
export async function isInTemporal(
  scheduleId: string,
  describe: () => Promise<unknown>,
  now = Date.now(),
): Promise<boolean> {
  const remembered = known.get(scheduleId);
  if (remembered && now - remembered.at < REMEMBER_MS) return remembered.present;
  let present = true;
  try {
    await describe();
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
    present = false;
  }
  known.set(scheduleId, { present, at: now });
  return present;
}

/** What this process just learnt first-hand (created, recreated, described or deleted). */
export function notePresence(scheduleId: string, present: boolean, now = Date.now()): void {
  known.set(scheduleId, { present, at: now });
}

/** A deleted schedule is forgotten, so the map holds only schedules that exist. */
export function forgetPresence(scheduleId: string): void {
  known.delete(scheduleId);
}
