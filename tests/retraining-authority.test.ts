import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipeline } from '../db/queries/pipelines';
import { retrainingOwner } from '../workflows/retraining-port';
import { type Account, accountsAuth, createAccount } from './support/accounts';
import { createTestDatabase, type TestDatabase } from './support/database';
import { pipelineDoc } from './support/pipeline-doc';

/**
 * Whom a monitor-started retraining run acts for: the monitor's owner, unless the version it runs
 * was saved by someone who may not promote (an editor must not borrow an operator's authority by
 * editing the pipeline a monitor starts).
 */

let database: TestDatabase;
let operator: Account;
let editor: Account;
let monitoringRunId = '';

const doc = pipelineDoc([{ id: 'ingest', type: 'ingest', config: { source: 'sample', sample: 'iris' } }], []);

async function versionBy(author: string | undefined): Promise<string> {
  const { version } = await createPipeline(database.db, { name: `target by ${author}`, graph: doc, author });
  return version.id;
}

beforeAll(async () => {
  database = await createTestDatabase();
  const auth = accountsAuth(database.db);
  operator = await createAccount(auth, 'operator');
  editor = await createAccount(auth, 'editor');
  const { pipeline, version } = await createPipeline(database.db, { name: 'monitor', graph: doc });
  const [run] = await database.sql<{ id: string }[]>`
    insert into runs (pipeline_id, pipeline_version_id, workflow_id, trigger, status, started_by)
    values (${pipeline.id}, ${version.id}, 'monitor-run', 'manual', 'running', ${operator.userId})
    returning id`;
  monitoringRunId = run?.id ?? '';
});

afterAll(async () => {
  await database?.drop();
});

describe('retrainingOwner', () => {
  it("acts for the monitor's owner when the owner, another operator or no account saved the target", async () => {
    for (const author of [operator.email, undefined]) {
      expect(await retrainingOwner(database.sql, monitoringRunId, await versionBy(author))).toEqual({
        userId: operator.userId,
        cli: null,
      });
    }
  });

  it('acts for the author when an editor saved the version it runs, so its deploy cannot promote', async () => {
    expect(await retrainingOwner(database.sql, monitoringRunId, await versionBy(editor.email))).toEqual({
      userId: editor.userId,
      cli: null,
    });
  });
});
