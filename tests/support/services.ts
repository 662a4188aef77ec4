import { appRouter } from '../../app/_server/root';
import { RunChangeFeed } from '../../app/_server/run-changes';
import type { Services } from '../../app/_server/services';
import { createCallerFactory } from '../../app/_server/trpc';
import type { TestDatabase } from './database';
import { specOfWithTestNodes } from './nodes/specs';
import type { TestWorker } from './temporal';

/** The app's procedures, called in-process against the test database and worker. */
export function testCaller(database: TestDatabase, worker: TestWorker) {
  const services: Services = {
    db: database.db,
    sql: database.sql,
    temporal: async () => worker.client,
    taskQueue: worker.taskQueue,
    changes: new RunChangeFeed(database.sql),
    specOf: specOfWithTestNodes,
    dataDir: worker.dataDir,
  };
  return { caller: createCallerFactory(appRouter)({ services }), services };
}
