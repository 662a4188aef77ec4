import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Runtime,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { inject } from 'vitest';
import type { Sql } from '../../db/client';
import { createPipelineWorker, workflowsPath } from '../../workflows/create-worker';
import { runOfWithTestNodes } from './nodes/registry';
import { specOfWithTestNodes } from './nodes/specs';
import { testSecretKey } from './secret-key';

// Worker state changes (INFO) and expected step failures (WARN) would drown the test output.
Runtime.install({ logger: new DefaultLogger('ERROR') });

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** Bundling the workflow code takes seconds, so a test file does it once for all its workers. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath, logger: quietLogger });
  return bundle;
}

export interface TestWorker {
  client: Client;
  taskQueue: string;
  dataDir: string;
  namespace: string;
  stop(): Promise<void>;
}

/** A real worker on a task queue of its own, polling the test run's Temporal server; it runs test nodes too. */
export async function startTestWorker(
  sql: Sql,
  options: { dataDir?: string; taskQueue?: string } = {},
): Promise<TestWorker> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'pipewright-data-'));
  const address = inject('temporalAddress');
  const namespace = inject('temporalNamespace');
  const taskQueue = options.taskQueue ?? `test-${randomUUID()}`;
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await createPipelineWorker({
    connection: nativeConnection,
    namespace,
    sql,
    dataDir,
    taskQueue,
    runOf: runOfWithTestNodes,
    specOf: specOfWithTestNodes,
    secretKey: () => testSecretKey,
    workflowBundle: await workflowBundle(),
  });
  const running = worker.run();
  const connection = await Connection.connect({ address });
  return {
    client: new Client({ connection, namespace }),
    taskQueue,
    dataDir,
    namespace,
    async stop() {
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
    },
  };
}

const quietLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
