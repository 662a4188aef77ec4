/** The sign-in running (or queued last) for each email in this process. */
const queues = new Map<string, Promise<unknown>>();

/**
 * Runs sign-ins to one account one at a time, so the failure count a sign-in checks includes every
 * attempt before it: without this, many guesses sent at once would all pass the check before the
 * first failure is recorded. Per process: Pipewright's web app is one `next start` process; a
 * deployment that runs several behind a balancer gets up to one extra guess per process at once.
 */
export async function oneSignInAtATime<T>(email: string, signIn: () => Promise<T>): Promise<T> {
  const before = queues.get(email) ?? Promise.resolve();
  const mine = before.catch(() => undefined).then(signIn);
  const tail = mine.catch(() => undefined);
  queues.set(email, tail);
  try {
    return await mine;
  } finally {
    // The last in the queue removes it, so the map holds only emails being signed in to now.
    if (queues.get(email) === tail) queues.delete(email);
  }
}
