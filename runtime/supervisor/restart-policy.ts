/**
 * When the launcher restarts a crashed component, and when it gives up. Pure functions of the crash
 * times, so the schedule is tested without waiting for it.
 */

export interface RestartPolicy {
  /** Delay before the first restart; each further crash in a row doubles it. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** This many crashes within windowMs means restarting does not help: give up. */
  maxCrashes: number;
  windowMs: number;
  /** A component that ran this long before crashing starts the doubling again from firstDelayMs. */
  stableAfterMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  firstDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxCrashes: 5,
  windowMs: 120_000,
  stableAfterMs: 120_000,
};

/** What the supervisor remembers about one component's crashes. */
export interface CrashRecord {
  /** Crashes in a row, each after a run shorter than stableAfterMs. */
  consecutive: number;
  /** Times of the crashes still inside the window. */
  recent: number[];
}

export const NO_CRASHES: CrashRecord = { consecutive: 0, recent: [] };

export type CrashDecision =
  | { action: 'restart'; delayMs: number; record: CrashRecord }
  | { action: 'give-up'; crashes: number; record: CrashRecord };

/** 1 s, 2 s, 4 s … for the 1st, 2nd, 3rd crash in a row, never more than maxDelayMs. */
export function restartDelayMs(consecutive: number, policy: RestartPolicy = DEFAULT_RESTART_POLICY): number {
  const doubled = policy.firstDelayMs * 2 ** Math.max(0, consecutive - 1);
  return Math.min(doubled, policy.maxDelayMs);
}

/** Decides what follows a crash at `now` of a component that had been running since `startedAt`. */
export function decideAfterCrash(
  record: CrashRecord,
  startedAt: number,
  now: number,
  policy: RestartPolicy = DEFAULT_RESTART_POLICY,
): CrashDecision {
  const ranStably = now - startedAt >= policy.stableAfterMs;
  const consecutive = (ranStably ? 0 : record.consecutive) + 1;
  const recent = [...record.recent.filter((time) => now - time < policy.windowMs), now];
  const next = { consecutive, recent };
  if (recent.length >= policy.maxCrashes) return { action: 'give-up', crashes: recent.length, record: next };
  return { action: 'restart', delayMs: restartDelayMs(consecutive, policy), record: next };
}

/** "2 min", "90 s": for the give-up line. */
export function describeDuration(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`;
}
