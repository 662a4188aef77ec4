import type { Client } from '@temporalio/client';
import type { ComponentHealth, Health } from '../../config/health-schema';
import { type ComponentState, isAlive } from '../../config/services-file';
import type { Sql } from '../../db/client';
import { readMigrationLevel } from '../../db/migrations';

export type { Health } from '../../config/health-schema';

export interface HealthDeps {
  version: string;
  sql: () => Sql;
  temporal: () => Promise<Client>;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  /**
   * The launcher's own view of the processes it supervises (postgres, temporal, worker), or
   * undefined when no launcher runs these services (DATABASE_URL, TEMPORAL_ADDRESS, `npm run worker`).
   */
  supervised?: () => Record<string, ComponentState> | undefined;
  /** Where the serving process answers (PIPEWRIGHT_SERVE_URL); its /health is probed. */
  serveUrl?: string;
}

const CHECK_TIMEOUT_MS = 3_000;
/**
 * Without a launcher, a poller seen within this window counts as a live worker (a worker long-polls
 * for up to 70 s). Under the launcher its supervisor knows at once, so its state is used instead.
 */
const POLLER_FRESH_MS = 90_000;

/** Checks every component in parallel; never throws, each failure becomes that component's detail. */
export async function checkHealth(deps: HealthDeps): Promise<Health> {
  const supervised = deps.supervised?.() ?? {};
  const serveUrl = deps.serveUrl;
  const [database, temporal, worker, serving] = await Promise.all([
    whenSupervisedUp(supervised.postgres, () => checkDatabase(deps)),
    whenSupervisedUp(supervised.temporal, () => guard(() => checkTemporal(deps))),
    checkWorker(deps).then((polled) => supervisedWorker(polled, supervised.worker)),
    serveUrl === undefined
      ? undefined
      : whenSupervisedUp(supervised.serving, () => guard(() => checkServing(serveUrl))).then((health) => ({
          ...health,
          url: serveUrl,
        })),
  ]);
  // Serving counts when the launcher runs it; an app started on its own may have none yet.
  const servingOk = !supervised.serving || serving?.ok !== false;
  const ok = database.ok && temporal.ok && worker.ok && servingOk;
  return {
    status: ok ? 'ok' : 'degraded',
    version: deps.version,
    checkedAt: new Date().toISOString(),
    database,
    temporal: { ...temporal, address: deps.temporalAddress, namespace: deps.namespace },
    worker,
    ...(serving ? { serving } : {}),
  };
}

async function checkServing(url: string): Promise<ComponentHealth> {
  const response = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(CHECK_TIMEOUT_MS) });
  return response.ok
    ? { ok: true, detail: 'answering' }
    : { ok: false, detail: `answers ${response.status} to its health check` };
}

async function checkDatabase(deps: HealthDeps): Promise<Health['database']> {
  try {
    const level = await withTimeout(readMigrationLevel(deps.sql()), 'PostgreSQL');
    const detail = level.upToDate
      ? `reachable, schema at ${level.latestTag}`
      : `reachable, ${level.applied} of ${level.latest} migrations applied`;
    return {
      ok: level.upToDate,
      detail,
      migrations: { applied: level.applied, latest: level.latest, latestTag: level.latestTag },
    };
  } catch (error) {
    return { ok: false, detail: `unreachable: ${messageOf(error)}` };
  }
}

async function checkTemporal(deps: HealthDeps): Promise<ComponentHealth> {
  const client = await withTimeout(deps.temporal(), 'Temporal');
  await withTimeout(client.workflowService.describeNamespace({ namespace: deps.namespace }), 'Temporal');
  return { ok: true, detail: `namespace ${deps.namespace} reachable` };
}

async function checkWorker(deps: HealthDeps): Promise<Health['worker']> {
  const base = { taskQueue: deps.taskQueue };
  try {
    const client = await withTimeout(deps.temporal(), 'Temporal');
    const response = await withTimeout(
      client.workflowService.describeTaskQueue({
        namespace: deps.namespace,
        taskQueue: { name: deps.taskQueue },
        // 1 = TASK_QUEUE_TYPE_WORKFLOW: a worker polls workflow and activity queues alike.
        taskQueueType: 1,
      }),
      'Temporal',
    );
    const now = Date.now();
    const pollers = (response.pollers ?? []).filter((poller) => {
      const seconds = Number(poller.lastAccessTime?.seconds ?? 0);
      return now - seconds * 1000 < POLLER_FRESH_MS;
    }).length;
    return pollers > 0
      ? { ...base, ok: true, detail: `${pollers} worker${pollers === 1 ? '' : 's'} polling`, pollers }
      : { ...base, ok: false, detail: 'no worker is polling: start one with `npm run worker`', pollers: 0 };
  } catch (error) {
    return { ...base, ok: false, detail: `unknown: ${messageOf(error)}`, pollers: 0 };
  }
}

/** A supervised component that is not running is down, whatever a probe would say; else probe it. */
async function whenSupervisedUp<T extends ComponentHealth>(
  state: ComponentState | undefined,
  check: () => Promise<T>,
): Promise<T | ComponentHealth> {
  if (state && !isRunning(state)) return { ok: false, detail: downDetail(state) };
  return check();
}

/**
 * The launcher's worker is up when its supervisor says it runs and Temporal sees it polling: a killed
 * worker's poller stays listed by Temporal for a while, so pollers alone would call it alive, and a
 * worker that runs but cannot reach Temporal (or hangs) does no work, so the supervisor alone would.
 */
function supervisedWorker(polled: Health['worker'], state: ComponentState | undefined): Health['worker'] {
  if (!state) return polled;
  if (!isRunning(state)) return { ...polled, ok: false, detail: downDetail(state) };
  if (!polled.ok) return { ...polled, detail: `running (pid ${state.pid ?? '?'}) but ${polled.detail}` };
  const restarts = state.restarts === 0 ? '' : `, restarted ${state.restarts}×`;
  return { ...polled, ok: true, detail: `${state.detail}${restarts}` };
}

/**
 * Why a supervised component is down, in the supervisor's words; in the moment between a kill and
 * the supervisor noticing it, its state still says running, so say what happened instead.
 */
function downDetail(state: ComponentState): string {
  if (state.status === 'running' && state.pid !== undefined)
    return `down: process ${state.pid} has exited; the launcher restarts it`;
  return `down: ${state.detail}`;
}

/** Running, and its process still exists (the launcher may not have noticed a kill yet). */
function isRunning(state: ComponentState): boolean {
  if (state.status !== 'running') return false;
  return state.pid === undefined || isAlive(state.pid);
}

async function guard(check: () => Promise<ComponentHealth>): Promise<ComponentHealth> {
  try {
    return await check();
  } catch (error) {
    return { ok: false, detail: `unreachable: ${messageOf(error)}` };
  }
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS / 1000} s`)),
      CHECK_TIMEOUT_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
