import { type Connections, resolveConnections } from '../../config/connections';
import { type Env, readEnv } from '../../config/env';
import { PIPELINE_TASK_QUEUE } from '../../workflows/task-queue';

export const env: Env = readEnv();

let cached: Connections | undefined;

/** Database and Temporal addresses, read once (the launcher passes them in the environment). */
export function connections(): Connections {
  cached ??= resolveConnections(env);
  return cached;
}

/** The task queue runs go to: PIPEWRIGHT_TASK_QUEUE when set (the worker reads the same variable). */
export function taskQueue(): string {
  return env.PIPEWRIGHT_TASK_QUEUE || PIPELINE_TASK_QUEUE;
}
