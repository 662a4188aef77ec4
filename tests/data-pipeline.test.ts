import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { artifacts } from '../db/schema';
import { datasetProfileSchema } from '../nodes/_data/profile';
import { setUpDatabaseAndWorker } from './support/fixture';
import { pipelineDoc } from './support/pipeline-doc';
import { runToEnd, savePipeline, stepRows } from './support/pipelines';
import { testCaller } from './support/services';

const fixture = setUpDatabaseAndWorker();

describe('data nodes through Temporal', () => {
  it('ingests the breast cancer sample and splits it, storing schema and profile with each dataset', async () => {
    const doc = pipelineDoc(
      [
        { id: 'ingest', type: 'ingest', config: { source: 'sample', sample: 'breast_cancer' } },
        { id: 'split', type: 'split', config: { method: 'stratified', stratifyBy: { $param: 'target' } } },
      ],
      ['ingest.data->split.data'],
      [{ name: 'target', type: 'string', default: 'target', description: 'Column to predict' }],
    );
    const { version } = await savePipeline(fixture.database.db, doc);
    const { started, result } = await runToEnd(fixture.database.db, fixture.worker, version.id);
    expect(result.status).toBe('succeeded');

    const steps = await stepRows(fixture.database.db, started.runId);
    expect(steps.find((step) => step.nodeId === 'split')?.outputSummary).toEqual({
      rows: 569,
      train: 456,
      validation: 0,
      test: 113,
    });
    const stored = await fixture.database.db
      .select()
      .from(artifacts)
      .where(eq(artifacts.runId, started.runId));
    expect(stored).toHaveLength(2);
    const splitArtifact = stored.find(
      (artifact) => artifact.stepId === steps.find((step) => step.nodeId === 'split')?.id,
    );
    const profile = datasetProfileSchema.parse(splitArtifact?.profile);
    expect(profile.rows).toBe(569);
    expect(profile.columns).toHaveLength(32);
    expect(profile.columns.find((column) => column.name === 'mean_radius')).toMatchObject({
      min: 6.981,
      max: 28.11,
      missing: 0,
    });
    expect(profile.columns.find((column) => column.name === '_split')?.topValues).toEqual([
      { value: 'train', count: 456 },
      { value: 'test', count: 113 },
    ]);
    expect(splitArtifact?.uri).toMatch(/\.parquet$/);

    // The API serves the profile and any page of rows.
    const { caller } = testCaller(fixture.database, fixture.worker);
    const page = await caller.datasets.preview({
      artifactId: splitArtifact?.id ?? '',
      offset: 560,
      limit: 50,
    });
    expect(page.total).toBe(569);
    expect(page.rows).toHaveLength(9);
    expect(Object.keys(page.rows[0] ?? {})).toHaveLength(32);
    expect(datasetProfileSchema.parse(page.profile).rows).toBe(569);
    const first = await caller.datasets.preview({ artifactId: splitArtifact?.id ?? '', limit: 1 });
    expect(first.rows[0]).toMatchObject({ mean_radius: 17.99, target: 0 });
  });

  it('fails the step with a message naming the missing column and the columns there are', async () => {
    const doc = pipelineDoc(
      [
        { id: 'ingest', type: 'ingest', config: { source: 'sample', sample: 'iris' } },
        { id: 'split', type: 'split', config: { method: 'stratified', stratifyBy: 'species' } },
      ],
      ['ingest.data->split.data'],
    );
    const { version } = await savePipeline(fixture.database.db, doc);
    const { result } = await runToEnd(fixture.database.db, fixture.worker, version.id);
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(
      /^Step "Split train\/test" \(split\) failed: Column "species" is not in the data \(columns: sepal_length_cm,/,
    );
  });
});
