import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { readEnv } from '../../config/env';
import { type LocalServices, startLocalServices } from '../../runtime/local-services';
import { waitForNamespace } from '../../runtime/temporal-server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL server where tests may create and drop databases. */
    adminDatabaseUrl: string;
    temporalAddress: string;
    temporalNamespace: string;
  }
}

/**
 * Real services for the test run: DATABASE_URL and TEMPORAL_ADDRESS when both are set, otherwise
 * the embedded PostgreSQL and an in-memory Temporal dev server in a temporary DATA_DIR, started
 * the same way the CLI starts them.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const env = readEnv();
  project.provide('temporalNamespace', env.TEMPORAL_NAMESPACE);
  if (env.DATABASE_URL && env.TEMPORAL_ADDRESS) {
    await waitForNamespace(env.TEMPORAL_ADDRESS, env.TEMPORAL_NAMESPACE, 10_000);
    project.provide('adminDatabaseUrl', env.DATABASE_URL);
    project.provide('temporalAddress', env.TEMPORAL_ADDRESS);
    return async () => {};
  }
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'pipewright-test-'));
  // The embedded PostgreSQL runs as the unprivileged postgres user, which must reach its data dir.
  chmodSync(scratch, 0o755);
  let services: LocalServices;
  try {
    services = await startLocalServices({
      dataDir: scratch,
      namespace: env.TEMPORAL_NAMESPACE,
      temporalCli: env.TEMPORAL_CLI,
      keepHistory: false,
    });
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
  project.provide('adminDatabaseUrl', env.DATABASE_URL ?? services.databaseUrl);
  project.provide('temporalAddress', env.TEMPORAL_ADDRESS ?? services.temporalAddress);
  return async () => {
    await services.stop();
    rmSync(scratch, { recursive: true, force: true });
  };
}
