import type { ProvidedContext } from 'vitest';
import type { TestProject } from 'vitest/node';
import startServices from './global-setup';

interface SharedServices {
  context: Pick<ProvidedContext, 'adminDatabaseUrl' | 'temporalAddress' | 'temporalNamespace'>;
  stop: () => Promise<void>;
  users: number;
}

declare global {
  // Vitest loads a global-setup file once per project, each time as a fresh module, so the one set
  // of services shared by the integration and browser projects lives on globalThis.
  var pipewrightTestServices: Promise<SharedServices> | undefined;
}

/**
 * The global setup of every project that needs PostgreSQL and Temporal. The first project starts
 * them (tests/support/global-setup.ts); the others are handed the same addresses, and the last
 * teardown stops them. Without this, `npm test` would start two of each.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  globalThis.pipewrightTestServices ??= start(project);
  const shared = await globalThis.pipewrightTestServices;
  project.provide('adminDatabaseUrl', shared.context.adminDatabaseUrl);
  project.provide('temporalAddress', shared.context.temporalAddress);
  project.provide('temporalNamespace', shared.context.temporalNamespace);
  shared.users += 1;
  return async () => {
    shared.users -= 1;
    if (shared.users > 0) return;
    globalThis.pipewrightTestServices = undefined;
    await shared.stop();
  };
}

async function start(project: TestProject): Promise<SharedServices> {
  const stop = await startServices(project);
  const { adminDatabaseUrl, temporalAddress, temporalNamespace } = project.getProvidedContext();
  return { context: { adminDatabaseUrl, temporalAddress, temporalNamespace }, stop, users: 0 };
}
