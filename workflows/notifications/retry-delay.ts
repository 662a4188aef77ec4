/**
 * How long a failed delivery waits before its next attempt. A receiver down for a deploy, a
 * restart or an afternoon's outage should still get the notification, so the waits grow from half a
 * minute by four each time (30 s, 2 min, 8 min, 32 min, ~2 h, then at most 8 h): eight attempts in
 * all span about 19 hours. Each wait is spread ±20% so that deliveries failed together (a receiver
 * that was down for all of them) do not all come back in the same second.
 */
export const DEFAULT_RETRY_BASE_MS = 30_000;
export const DEFAULT_MAX_ATTEMPTS = 8;
export const MAX_RETRY_WAIT_MS = 8 * 60 * 60 * 1000;

/** The wait after failed attempt number `attempt` (1 for the first); `random` in [0, 1). */
export function retryDelayMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const wait = Math.min(baseMs * 4 ** Math.max(0, attempt - 1), MAX_RETRY_WAIT_MS);
  return Math.round(wait * (0.8 + 0.4 * random()));
}
