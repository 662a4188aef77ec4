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
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, Math.min(tick, ms - (Date.now() - started)));
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(signal.reason);
        },
        { once: true },
      );
    });
    onProgress(Math.min(1, (Date.now() - started) / ms));
  }
}
