import { randomBytes } from 'node:crypto';
import type { Role } from '../../access/roles';
import type { Actor } from '../../app/_server/auth/actor';
import { actorMay } from '../../app/_server/auth/authorize';
import type { Reauthorize } from '../../app/_server/auth/reauthorize';
import { appRouter } from '../../app/_server/root';
import { RunChangeFeed } from '../../app/_server/run-changes';
import type { Services } from '../../app/_server/services';
import { type Context, createCallerFactory } from '../../app/_server/trpc';
import type { Database } from '../../db/client';
import { type Auth, createAuth } from '../../runtime/auth/auth';
import type { TestDatabase } from './database';
import { specOfWithTestNodes } from './nodes/specs';
import { testSecretKey } from './secret-key';
import type { TestWorker } from './temporal';

/** A better-auth over a test database, with a fresh secret: real sessions, passwords and keys. */
export function testAuth(db: Database): Auth {
  return createAuth({ db, secret: randomBytes(32), publicOrigin: new URL('http://localhost:3000') });
}

/** A signed-in user of this role, for calling procedures directly (no row in the users table). */
export function testActor(role: Role = 'admin'): Actor {
  return { kind: 'user', userId: `test-${role}`, email: `${role}@example.test`, name: `Test ${role}`, role };
}

/**
 * The context a procedure call gets: these services, called by this actor. Asked again, the actor
 * has not changed unless the test passes a reauthorize of its own (reauthorizerOf, for real headers).
 */
export function testContext(
  services: Services,
  actor: Actor | null = testActor(),
  reauthorize: Reauthorize = async (permission) => actorMay(actor, permission),
): Context {
  return { services, actor, ipAddress: '127.0.0.1', reauthorize };
}

/** The app's procedures, called in-process against the test database and worker, by an admin unless told. */
export function testCaller(database: TestDatabase, worker: TestWorker, actor: Actor | null = testActor()) {
  let auth: Auth | undefined;
  const services: Services = {
    db: database.db,
    sql: database.sql,
    secretKey: () => testSecretKey,
    auth: () => {
      auth ??= testAuth(database.db);
      return auth;
    },
    temporal: async () => worker.client,
    taskQueue: worker.taskQueue,
    changes: new RunChangeFeed(database.sql),
    specOf: specOfWithTestNodes,
    dataDir: worker.dataDir,
  };
  return { caller: createCallerFactory(appRouter)(testContext(services, actor)), services };
}

/**
 * Services over a test database alone, for procedures that never reach Temporal or DATA_DIR
 * (accounts, keys, the run history): a call that does fails loudly.
 */
export function databaseOnlyServices(database: TestDatabase, auth: Auth = testAuth(database.db)): Services {
  return {
    db: database.db,
    sql: database.sql,
    auth: () => auth,
    secretKey: () => testSecretKey,
    temporal: () => Promise.reject(new Error('this test has no Temporal server')),
    taskQueue: 'unused',
    changes: new RunChangeFeed(database.sql),
    dataDir: '/nonexistent',
  };
}
