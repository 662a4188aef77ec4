import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from './database';
import { startTestWorker, type TestWorker } from './temporal';

export interface Fixture {
  readonly database: TestDatabase;
  readonly worker: TestWorker;
}

/** A database of its own and a worker on a task queue of its own for one test file, torn down after it. */
export function setUpDatabaseAndWorker(): Fixture {
  let database: TestDatabase | undefined;
  let worker: TestWorker | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    worker = await startTestWorker(database.sql);
  });
  afterAll(async () => {
    await worker?.stop();
    await database?.drop();
  });
  return {
    get database() {
      if (!database) throw new Error('the fixture is used before beforeAll ran');
      return database;
    },
    get worker() {
      if (!worker) throw new Error('the fixture is used before beforeAll ran');
      return worker;
    },
  };
}
