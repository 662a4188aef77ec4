import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { readEnv } from '../../config/env';
import { pickPort } from '../../runtime/ports';
import { startPostgresProcess } from '../../runtime/postgres-process';
import { MISSING_CLI_MESSAGE, resolveTemporalCli } from '../../runtime/temporal-cli';
import { startTemporalDevServer, waitForNamespace } from '../../runtime/temporal-server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL server where tests may create and drop databases. */
    adminDatabaseUrl: string;
    temporalAddress: string;
    temporalNamespace: string;
  }
}

const projectDir = path.resolve(import.meta.dirname, '..', '..');

/**
 * Real services for the test run: DATABASE_URL and TEMPORAL_ADDRESS when set, otherwise a fresh
 * embedded PostgreSQL and an in-memory Temporal dev server in a temporary directory.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const env = readEnv();
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'pipewright-test-'));
  // The embedded PostgreSQL runs as the unprivileged postgres user, which must reach its data dir.
  chmodSync(scratch, 0o755);
  const stops: Array<() => Promise<void>> = [];
  try {
    project.provide('adminDatabaseUrl', env.DATABASE_URL ?? (await startPostgres(scratch, stops)));
    project.provide(
      'temporalAddress',
      env.TEMPORAL_ADDRESS ?? (await startTemporal(scratch, env.TEMPORAL_CLI, stops)),
    );
    project.provide('temporalNamespace', env.TEMPORAL_NAMESPACE);
    if (env.TEMPORAL_ADDRESS) await waitForNamespace(env.TEMPORAL_ADDRESS, env.TEMPORAL_NAMESPACE, 10_000);
  } catch (error) {
    await stopAll(stops, scratch);
    throw error;
  }
  return () => stopAll(stops, scratch);
}

async function startPostgres(scratch: string, stops: Array<() => Promise<void>>): Promise<string> {
  const server = await startPostgresProcess({
    dataDir: path.join(scratch, 'postgres'),
    port: await pickPort(),
    logFile: path.join(scratch, 'postgres.log'),
  });
  stops.push(server.stop);
  return server.url;
}

async function startTemporal(
  scratch: string,
  explicit: string | undefined,
  stops: Array<() => Promise<void>>,
): Promise<string> {
  const cli = await resolveTemporalCli({ projectDir, explicit, allowBuild: true });
  if (!cli) throw new Error(MISSING_CLI_MESSAGE);
  const server = await startTemporalDevServer({
    binary: cli.path,
    port: await pickPort(),
    uiPort: 0,
    headless: true,
    namespace: readEnv().TEMPORAL_NAMESPACE,
    logFile: path.join(scratch, 'temporal.log'),
  });
  stops.push(server.stop);
  return server.address;
}

async function stopAll(stops: Array<() => Promise<void>>, scratch: string): Promise<void> {
  for (const stop of stops.reverse()) await stop();
  rmSync(scratch, { recursive: true, force: true });
}
