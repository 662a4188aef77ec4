/** How often an idle live stream asks again whether its caller may still read it. */
export const RECHECK_IDLE_STREAM_MS = 30_000;

/**
 * The items of a live stream for as long as its caller may have them: asked before every item, and
 * every `idleMs` while none comes, so a deactivated user or a revoked key stops receiving at once
 * and an idle stream is closed within `idleMs`. A check that fails (the database is down) ends the
 * stream too: the client reconnects and gets a clear answer.
 */
export async function* whileAllowed<T>(
  open: (signal: AbortSignal) => AsyncIterable<T>,
  stillAllowed: () => Promise<boolean>,
  signal: AbortSignal,
  idleMs: number = RECHECK_IDLE_STREAM_MS,
): AsyncGenerator<T> {
  const stop = new AbortController();
  const end = () => stop.abort();
  if (signal.aborted) end();
  signal.addEventListener('abort', end, { once: true });
  const allowed = () => stillAllowed().catch(() => false);
  const timer = setInterval(() => {
    void allowed().then((yes) => {
      if (!yes) end();
    });
  }, idleMs);
  try {
    for await (const item of open(stop.signal)) {
      if (!(await allowed())) return;
      yield item;
    }
  } finally {
    clearInterval(timer);
    signal.removeEventListener('abort', end);
    end();
  }
}
