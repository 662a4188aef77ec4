import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { artifacts } from '../db/schema';
import { Duck } from '../nodes/_data/duck';
import { datasetProfileSchema } from '../nodes/_data/profile';
import { readTransformSpec } from '../nodes/_data/transform-spec';
import { CompileError, startRun } from '../workflows/run-service';
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

  it('runs ingest, split, clean and feature on breast cancer, learning every transform from the training rows', async () => {
    const doc = pipelineDoc(
      [
        { id: 'ingest', type: 'ingest', config: { source: 'sample', sample: 'breast_cancer' } },
        { id: 'split', type: 'split', config: { method: 'stratified', stratifyBy: 'target', seed: 42 } },
        {
          id: 'clean',
          type: 'clean',
          config: {
            operations: [{ op: 'clip', columns: ['mean_area'], method: 'iqr' }],
            rules: [
              { rule: 'min_rows', rows: 500 },
              { rule: 'max_missing', column: 'mean_radius', fraction: 0.05 },
            ],
          },
        },
        {
          id: 'feature',
          type: 'feature',
          config: {
            operations: [{ op: 'standardize', columns: { byType: 'numeric', except: ['target'] } }],
            target: 'target',
          },
        },
      ],
      ['ingest.data->split.data', 'split.data->clean.data', 'clean.data->feature.data'],
    );
    const { version } = await savePipeline(fixture.database.db, doc);
    const { started, result } = await runToEnd(fixture.database.db, fixture.worker, version.id);
    expect(result).toMatchObject({ status: 'succeeded' });
    const steps = await stepRows(fixture.database.db, started.runId);
    const cleanSummary = steps.find((step) => step.nodeId === 'clean')?.outputSummary;
    expect(cleanSummary).toMatchObject({
      rows: 569,
      rules: [
        { rule: 'min_rows', measured: 569, passed: true },
        { rule: 'max_missing', measured: 0, passed: true },
      ],
    });
    const featureStep = steps.find((step) => step.nodeId === 'feature');
    const [featureArtifact] = await fixture.database.db
      .select()
      .from(artifacts)
      .where(eq(artifacts.stepId, featureStep?.id ?? ''));
    const file = new URL(featureArtifact?.uri ?? '').pathname;
    const spec = readTransformSpec(file);
    expect(spec.steps.map((step) => step.op)).toEqual(['clip', ...Array(30).fill('standardize'), 'select']);

    // The learned values are those of the training rows alone, checked against DuckDB directly.
    const splitStep = steps.find((step) => step.nodeId === 'split');
    const [splitArtifact] = await fixture.database.db
      .select()
      .from(artifacts)
      .where(eq(artifacts.stepId, splitStep?.id ?? ''));
    const duck = await Duck.open();
    try {
      const train = `(select * from read_parquet($1) where _split = 'train')`;
      const splitFile = new URL(splitArtifact?.uri ?? '').pathname;
      const quartiles = await duck.one(
        `select quantile_cont(mean_area, 0.25) as q1, quantile_cont(mean_area, 0.75) as q3 from ${train}`,
        [splitFile],
      );
      const iqr = Number(quartiles.q3) - Number(quartiles.q1);
      expect(spec.steps[0]).toEqual({
        op: 'clip',
        column: 'mean_area',
        lower: Number(quartiles.q1) - 1.5 * iqr,
        upper: Number(quartiles.q3) + 1.5 * iqr,
      });
      const radius = await duck.one(
        `select avg(mean_radius) as mean, stddev_pop(mean_radius) as std from ${train}`,
        [splitFile],
      );
      const standardized = spec.steps.find(
        (step) => step.op === 'standardize' && step.column === 'mean_radius',
      );
      expect(standardized).toMatchObject({ mean: Number(radius.mean) });
      expect(standardized && 'std' in standardized ? standardized.std : 0).toBeCloseTo(
        Number(radius.std),
        12,
      );
      const trainMean = await duck.one(
        `select avg(mean_radius) as m from read_parquet($1) where _split = 'train'`,
        [file],
      );
      expect(Number(trainMean.m)).toBeCloseTo(0, 12);
    } finally {
      duck.close();
    }
    expect(spec.steps.at(-1)).toMatchObject({ op: 'select', target: 'target' });
  });

  it('refuses to start a run with a misspelt column the compiler can see, naming node and field', async () => {
    const doc = pipelineDoc(
      [
        { id: 'ingest', type: 'ingest', config: { source: 'sample', sample: 'iris' } },
        { id: 'split', type: 'split', config: { method: 'stratified', stratifyBy: 'species' } },
      ],
      ['ingest.data->split.data'],
    );
    const { version } = await savePipeline(fixture.database.db, doc);
    const services = {
      db: fixture.database.db,
      temporal: fixture.worker.client,
      taskQueue: fixture.worker.taskQueue,
    };
    const refused = await startRun(services, { pipelineVersionId: version.id }).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(CompileError);
    expect(refused instanceof CompileError && refused.problems).toEqual([
      expect.objectContaining({ code: 'unknown-column', nodeId: 'split', field: 'stratifyBy' }),
    ]);
  });

  it('fails the step, naming the missing column and the columns there are, when only the data can tell', async () => {
    const uploads = path.join(fixture.worker.dataDir, 'uploads');
    mkdirSync(uploads, { recursive: true });
    copyFileSync(
      path.join(import.meta.dirname, '..', 'nodes', 'ingest', 'samples', 'iris.csv'),
      path.join(uploads, 'flowers.csv'),
    );
    const doc = pipelineDoc(
      [
        { id: 'ingest', type: 'ingest', config: { source: 'file', file: 'uploads/flowers.csv' } },
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

  it('runs columns named like object keys through ingest, clean and feature, and fails data errors once, not three times', async () => {
    const uploads = path.join(fixture.worker.dataDir, 'uploads');
    mkdirSync(uploads, { recursive: true });
    writeFileSync(
      path.join(uploads, 'keys.csv'),
      'constructor,__proto__,toString,hasOwnProperty,value\na,1,10,1,x\nb,2,20,2,y\na,3,30,3,z\n',
    );
    const pipeline = (filterValue: unknown, expression: string) =>
      pipelineDoc(
        [
          {
            id: 'ingest',
            type: 'ingest',
            config: { source: 'file', file: 'uploads/keys.csv', columnTypes: { toString: 'numeric' } },
          },
          {
            id: 'clean',
            type: 'clean',
            config: {
              operations: [
                { op: 'filter', condition: { column: 'toString', operator: '>=', value: filterValue } },
              ],
            },
          },
          {
            id: 'feature',
            type: 'feature',
            config: {
              operations: [
                { op: 'one_hot', columns: ['constructor'], topK: 5 },
                { op: 'derive', name: 'hasOwnProperty2', expression },
              ],
              target: 'value',
            },
          },
        ],
        ['ingest.data->clean.data', 'clean.data->feature.data'],
      );
    const good = await savePipeline(fixture.database.db, pipeline('20', 'col("__proto__") * hasOwnProperty'));
    const { started, result } = await runToEnd(fixture.database.db, fixture.worker, good.version.id);
    expect(result.status).toBe('succeeded');
    const feature = (await stepRows(fixture.database.db, started.runId)).find(
      (step) => step.nodeId === 'feature',
    );
    expect(feature?.outputSummary).toMatchObject({ rows: 2, features: 6, target: 'value' });

    for (const [filterValue, expression, failing, message] of [
      [
        '1) or (1=1',
        'hasOwnProperty',
        'clean',
        'The condition on "toString" compares it with "1) or (1=1", which is not a number ("toString" is numeric)',
      ],
      [
        '0',
        'hasOwnProperty ^ 1000 ^ 1000',
        'feature',
        'Column "hasOwnProperty2" = hasOwnProperty ^ 1000 ^ 1000 is Infinity on row 2 (hasOwnProperty = 2): the result is too large for a number',
      ],
    ] as const) {
      const bad = await savePipeline(fixture.database.db, pipeline(filterValue, expression));
      const run = await runToEnd(fixture.database.db, fixture.worker, bad.version.id);
      expect(run.result.status).toBe('failed');
      expect(run.result.error).toMatch(new RegExp(`\\(${failing}\\) failed: ${escapeRegExp(message)}$`));
      const step = (await stepRows(fixture.database.db, run.started.runId)).find(
        (row) => row.nodeId === failing,
      );
      // An input error: one attempt, no retries.
      expect(step).toMatchObject({ status: 'failed', attempt: 1 });
    }
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
