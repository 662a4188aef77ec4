/** Sign-ins that may wait for one account at once; more are refused at once rather than queued. */
export const SIGN_INS_WAITING_PER_ACCOUNT = 10;

interface Queue {
  tail: Promise<unknown>;
  waiting: number;
}

/** The sign-ins running or waiting for each email in this process. */
const queues = new Map<string, Queue>();

/** A sign-in refused because too many for the same account are already waiting. */
export class TooManyWaitingError extends Error {
  override name = 'TooManyWaitingError';
}

/**
 * Runs sign-ins to one account one at a time, so the failure count a sign-in checks includes every
 * attempt before it: without this, many guesses sent at once would all pass the check before the
 * first failure is recorded. Per process: Pipewright's web app is one `next start` process; a
 * deployment that runs several behind a balancer gets up to one extra guess per process at once.
 * A flood for one account is refused (TooManyWaitingError) instead of queueing without bound.
 */
export async function oneSignInAtATime<T>(email: string, signIn: () => Promise<T>): Promise<T> {
  const queue = queues.get(email) ?? { tail: Promise.resolve(), waiting: 0 };
  if (queue.waiting >= SIGN_INS_WAITING_PER_ACCOUNT) {
    throw new TooManyWaitingError(`Too many sign-ins for ${email} at once: try again in a minute.`);
  }
  const mine = queue.tail.then(signIn);
  queue.tail = mine.catch(() => undefined);
  queue.waiting += 1;
  queues.set(email, queue);
  try {
    return await mine;
  } finally {
    queue.waiting -= 1;
    // The last one out removes the queue, so the map holds only emails being signed in to now.
    if (queue.waiting === 0) queues.delete(email);
  }
}
