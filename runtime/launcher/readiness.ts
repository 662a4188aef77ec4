import { describeExit, type GroupChild, stopGroup } from '../process-group';

/**
 * Polls `ready` until it says yes. Rejects, having stopped the process group, when the process
 * exits first or the time runs out: the supervisor counts that as a crash.
 */
export async function untilReady(
  child: GroupChild,
  ready: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  let exit: string | undefined;
  void child.ended.then((ended) => {
    exit = describeExit(ended);
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exit) {
      await stopGroup(child.pgid, 5_000);
      throw new Error(`${child.name} stopped while starting (${exit}); see ${child.logFile}`);
    }
    if (await ready()) return;
    if (Date.now() > deadline) {
      await stopGroup(child.pgid, 5_000);
      throw new Error(
        `${child.name} did not become ready within ${timeoutMs / 1000} s; see ${child.logFile}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Whether the app answers its health check: 503 is an answer too (it runs; a service it checks does not). */
export async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    return response.status === 200 || response.status === 503;
  } catch {
    return false;
  }
}
