import { type Client, isGrpcServiceError, ScheduleNotFoundError } from '@temporalio/client';

/**
 * Temporal could not be reached, or did not answer in time: nothing was changed. The app says so
 * in a sentence (503) instead of an unexplained failure; the CLI prints it.
 */
export class SchedulerUnavailableError extends Error {
  override name = 'SchedulerUnavailableError';
  constructor(cause: unknown) {
    super('The scheduler (Temporal) cannot be reached, so nothing was changed. Try again in a moment.', {
      cause,
    });
  }
}

/** gRPC's UNAVAILABLE and DEADLINE_EXCEEDED, anywhere in the error's chain of causes. */
const UNREACHABLE_CODES = new Set([14, 4]);

export function isUnreachable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (isGrpcServiceError(current) && UNREACHABLE_CODES.has(current.code)) return true;
    current = current instanceof Error ? current.cause : undefined;
  }
  return false;
}

/** How long a user waits on one Temporal call before hearing that the scheduler cannot be reached. */
export const SCHEDULER_CALL_MS = 10_000;

export interface SchedulerAccess {
  temporal: Client;
  /** SCHEDULER_CALL_MS unless a test waits less. */
  callTimeoutMs?: number;
}

/**
 * A Temporal call with a deadline (the client would otherwise retry an unreachable server for
 * long), whose unreachable or late failure becomes SchedulerUnavailableError; others pass as they are.
 */
export async function reachScheduler<T>(access: SchedulerAccess, call: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + (access.callTimeoutMs ?? SCHEDULER_CALL_MS);
  try {
    return await access.temporal.withDeadline(deadline, call);
  } catch (error) {
    if (isUnreachable(error)) throw new SchedulerUnavailableError(error);
    throw error;
  }
}

/** Whether Temporal has the schedule: describe() succeeds, or fails with ScheduleNotFoundError. */
export async function existsInTemporal(
  access: SchedulerAccess,
  describe: () => Promise<unknown>,
): Promise<boolean> {
  try {
    await reachScheduler(access, describe);
    return true;
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return false;
    throw error;
  }
}
