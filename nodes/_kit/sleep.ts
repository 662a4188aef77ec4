/** Waits `ms`, reporting progress every `tick` ms; rejects as soon as `signal` aborts. */
export async function sleepWithProgress(
  ms: number,
  signal: AbortSignal,
  onProgress: (fraction: number) => void,
  tick = 100,
): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    signal.throwIfAborted();
    await waitOrAbort(Math.min(tick, ms - (Date.now() - started)), signal);
    onProgress(Math.min(1, (Date.now() - started) / ms));
  }
}

/**
 * One tick. Its abort listener goes away with it: a long sleep adds one listener per tick, so
 * leaving them would pile up thousands on the step's signal.
 */
function waitOrAbort(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
