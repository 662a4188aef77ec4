import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

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
