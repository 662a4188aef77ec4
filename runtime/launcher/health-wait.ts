import { type Health, healthSchema } from '../../config/health-schema';

/** Polls the app's health endpoint until every component is healthy; the error names what is not. */
export async function waitForHealthy(url: string, timeoutMs: number): Promise<Health> {
  const deadline = Date.now() + timeoutMs;
  let last = 'the app did not answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      const health = healthSchema.parse(await response.json());
      if (health.status === 'ok') return health;
      last = describeProblems(health);
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`not healthy after ${timeoutMs / 1000} s: ${last}; see the logs in DATA_DIR/logs`);
}

function describeProblems(health: Health): string {
  const parts = [
    ['database', health.database],
    ['temporal', health.temporal],
    ['worker', health.worker],
  ] as const;
  return parts
    .filter(([, component]) => !component.ok)
    .map(([name, component]) => `${name}: ${component.detail}`)
    .join('; ');
}
