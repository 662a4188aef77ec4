/**
 * pipelines.compareVersions over a real PostgreSQL: two versions saved through the procedures, then
 * compared both ways, and refused for a version or pipeline that is not there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../app/_server/root';
import { createCallerFactory } from '../app/_server/trpc';
import { createTestDatabase, type TestDatabase } from './support/database';
import { databaseOnlyServices, testActor, testContext } from './support/services';
import { firstVersion, secondVersion } from './support/version-diff-scenario';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

function caller(role: 'editor' | 'viewer' = 'editor') {
  return createCallerFactory(appRouter)(testContext(databaseOnlyServices(database), testActor(role)));
}

/** A pipeline saved as version 1 (the deploy example) and version 2 (its edit). */
async function savedTwice(): Promise<string> {
  const created = await caller().pipelines.create({ name: 'Churn', document: firstVersion() });
  const saved = await caller().pipelines.saveVersion({
    pipelineId: created.id,
    document: secondVersion(),
    message: 'Clip outliers, drop deploy',
  });
  expect(saved.version).toBe(2);
  return created.id;
}

describe('pipelines.compareVersions', () => {
  it('lists what changed from version 1 to version 2', async () => {
    const pipelineId = await savedTwice();
    const compared = await caller('viewer').pipelines.compareVersions({ pipelineId, from: 1, to: 2 });
    expect(compared.pipeline).toEqual({ id: pipelineId, name: 'Churn' });
    expect([compared.from.version, compared.to.version]).toEqual([1, 2]);
    expect(compared.to.message).toBe('Clip outliers, drop deploy');
    expect(compared.to).not.toHaveProperty('graph');

    const { diff } = compared;
    const byKind = (kind: string) => diff.nodes.filter((node) => node.kind === kind).map((node) => node.id);
    expect(byKind('added')).toEqual(['clip']);
    expect(byKind('removed')).toEqual(['deploy']);
    expect(byKind('changed')).toEqual(['split', 'train', 'evaluate']);
    expect(diff.nodes.filter((node) => node.moved).map((node) => node.id)).toEqual(['feature']);
    expect(diff.nodes.find((node) => node.id === 'deploy')?.before?.position).toEqual({ x: 1560, y: 120 });

    const fields = (id: string) =>
      diff.nodes.find((node) => node.id === id)?.fields.map((field) => [field.at, field.before, field.after]);
    expect(fields('split')).toEqual([
      ['config.seed', 42, { $param: 'seed' }],
      ['config.testFraction', 0.2, 0.25],
    ]);
    expect(fields('train')).toEqual([['config.algorithm', 'gradient_boosting', 'random_forest']]);
    expect(fields('evaluate')).toEqual([['config.gates[0].value', 0.7, 0.8]]);

    const edges = (kind: string) => diff.edges.filter((edge) => edge.kind === kind).map((edge) => edge.key);
    expect(edges('added')).toEqual(['clean.data→clip.data', 'clip.data→split.data']);
    expect(edges('removed')).toEqual([
      'clean.data→split.data',
      'train.model→deploy.model',
      'evaluate.report→deploy.report',
      'split.data→deploy.data',
    ]);
    expect(diff.parameters.map((parameter) => [parameter.name, parameter.kind])).toEqual([
      ['seed', 'added'],
      ['model', 'removed'],
    ]);
    expect(diff.counts).toEqual({
      nodesAdded: 1,
      nodesRemoved: 1,
      nodesChanged: 3,
      nodesMoved: 1,
      edgesAdded: 2,
      edgesRemoved: 4,
      parametersChanged: 2,
      notesChanged: 1,
    });
    expect(diff.notes).toEqual([
      {
        id: 'why-clip',
        kind: 'added',
        after: 'Clipping before the split keeps extreme rows out of both sets',
      },
    ]);
  });

  it('compared backwards, an addition is a removal; a version against itself is empty', async () => {
    const pipelineId = await savedTwice();
    const backwards = await caller().pipelines.compareVersions({ pipelineId, from: 2, to: 1 });
    expect(backwards.diff.nodes.filter((node) => node.kind === 'removed').map((node) => node.id)).toEqual([
      'clip',
    ]);
    expect(backwards.diff.nodes.find((node) => node.id === 'split')?.fields[1]).toMatchObject({
      at: 'config.testFraction',
      before: 0.25,
      after: 0.2,
    });
    const same = await caller().pipelines.compareVersions({ pipelineId, from: 2, to: 2 });
    expect(same.diff.nodes.every((node) => node.kind === 'unchanged' && !node.moved)).toBe(true);
    expect(same.diff.edges.every((edge) => edge.kind === 'unchanged')).toBe(true);
    expect(same.diff.parameters).toEqual([]);
  });

  it('says which version or pipeline is not there, and refuses a version that is not a whole number', async () => {
    const pipelineId = await savedTwice();
    await expect(caller().pipelines.compareVersions({ pipelineId, from: 1, to: 3 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'Pipeline Churn has no version 3',
    });
    await expect(
      caller().pipelines.compareVersions({
        pipelineId: '00000000-0000-4000-8000-000000000000',
        from: 1,
        to: 2,
      }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'No pipeline 00000000-0000-4000-8000-000000000000',
    });
    await expect(caller().pipelines.compareVersions({ pipelineId, from: 0, to: 1.5 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'from: must be 1 or more; to: must be a whole version number',
    });
    await expect(
      caller().pipelines.compareVersions({ pipelineId, from: 1, to: 2 ** 31 }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: 'to: must be at most 2,147,483,647' });
  });

  it('does not take a version of another pipeline by its number', async () => {
    const other = await caller().pipelines.create({ name: 'Other', document: firstVersion() });
    await savedTwice();
    await expect(
      caller().pipelines.compareVersions({ pipelineId: other.id, from: 1, to: 2 }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'Pipeline Other has no version 2' });
  });
});
