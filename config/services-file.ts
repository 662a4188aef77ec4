import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** One supervised component as the launcher last saw it; /api/health reads this. */
export const componentStateSchema = z.object({
  status: z.enum(['starting', 'running', 'restarting', 'failed', 'stopped']),
  /** The process (group leader) while one runs. */
  pid: z.number().int().optional(),
  /** When the status last changed (ISO time). */
  since: z.string(),
  restarts: z.number().int(),
  /** One line for people: "running (pid 123)", "killed by SIGKILL; restarting in 2 s (crash 1 of 5 …)". */
  detail: z.string(),
});

export type ComponentState = z.infer<typeof componentStateSchema>;

/**
 * What a running launcher tells other processes (the CLI, a separately started worker, the next
 * launcher after a crash): where its services listen and which process groups it owns.
 */
export const servicesFileSchema = z.object({
  launcherPid: z.number().int(),
  databaseUrl: z.string().optional(),
  temporalAddress: z.string().optional(),
  temporalNamespace: z.string().optional(),
  temporalUiUrl: z.string().optional(),
  appUrl: z.string().optional(),
  /** Process group ids of children started by the launcher, reaped by the next start after a crash. */
  processGroups: z.array(z.object({ name: z.string(), pgid: z.number().int() })),
  /** The supervisor's view of each process it started, by component name (postgres, temporal, worker, app). */
  components: z.record(z.string(), componentStateSchema).optional(),
});

export type ServicesFile = z.infer<typeof servicesFileSchema>;

export function servicesFilePath(dataDir: string): string {
  return path.join(dataDir, 'services.json');
}

export function readServicesFile(dataDir: string): ServicesFile | undefined {
  let text: string;
  try {
    text = readFileSync(servicesFilePath(dataDir), 'utf8');
  } catch {
    return undefined;
  }
  const parsed = servicesFileSchema.safeParse(safeJson(text));
  return parsed.success ? parsed.data : undefined;
}

/**
 * Written atomically (temp file + rename) so a reader never sees half a file, and readable by its
 * owner only (0600): it holds the database URL with its password.
 */
export function writeServicesFile(dataDir: string, value: ServicesFile): void {
  mkdirSync(dataDir, { recursive: true });
  const target = servicesFilePath(dataDir);
  const temp = `${target}.${process.pid}.tmp`;
  rmSync(temp, { force: true });
  // The mode applies when the file is created; a leftover temp file was removed above so it is.
  writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, target);
}

/**
 * The components of the launcher that serves this DATA_DIR, or undefined when none runs (no file,
 * or the launcher that wrote it is gone, so what it says is stale).
 */
export function readSupervisedComponents(dataDir: string): Record<string, ComponentState> | undefined {
  const services = readServicesFile(dataDir);
  if (!services?.components || !isAlive(services.launcherPid)) return undefined;
  return services.components;
}

/**
 * Whether a process exists, for the launcher's bookkeeping (its own pid, its components', a build
 * lock's owner). EPERM: it exists but belongs to someone else.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}

export function removeServicesFile(dataDir: string): void {
  rmSync(servicesFilePath(dataDir), { force: true });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
