import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { artifacts, runSteps } from '../db/schema';
import { createTestDatabase, type TestDatabase } from './support/database';
import { pipelineDoc } from './support/pipeline-doc';
import { runToEnd, savePipeline } from './support/pipelines';
import { testCaller } from './support/services';
import { startTestWorker, type TestWorker } from './support/temporal';

// The API reads artifacts only inside DATA_DIR/artifacts, so the app and the worker share one
// DATA_DIR here; set before the app's env module reads it.
const dataDir = vi.hoisted(() => {
  const dir = `${process.env.TMPDIR ?? '/tmp'}/pipewright-report-api-${process.pid}-${Date.now()}`;
  process.env.DATA_DIR = dir;
  return dir;
});

let database: TestDatabase;
let worker: TestWorker;
let api: ReturnType<typeof testCaller>['caller'];
let reportArtifact: typeof artifacts.$inferSelect;
let datasetArtifactId: string;

beforeAll(async () => {
  mkdirSync(dataDir, { recursive: true });
  database = await createTestDatabase();
  worker = await startTestWorker(database.sql, { dataDir });
  api = testCaller(database, worker).caller;

  const doc = pipelineDoc(
    [
      { id: 'ingest', type: 'ingest', config: { source: 'sample', sample: 'breast_cancer' } },
      { id: 'split', type: 'split', config: { method: 'stratified', stratifyBy: 'target' } },
      { id: 'train', type: 'train', config: { target: 'target', algorithm: 'decision_tree', maxDepth: 4 } },
      {
        id: 'evaluate',
        type: 'evaluate',
        config: {
          slices: [{ name: 'large', condition: { column: 'mean_radius', operator: '>', value: 15 } }],
          gates: [{ metric: 'accuracy', operator: '>=', value: 0.8 }],
        },
      },
    ],
    [
      'ingest.data->split.data',
      'split.data->train.data',
      'train.model->evaluate.model',
      'split.data->evaluate.data',
    ],
  );
  const { version } = await savePipeline(database.db, doc);
  const { started, result } = await runToEnd(database.db, worker, version.id);
  expect(result.status).toBe('succeeded');
  const stored = await database.db
    .select({ artifact: artifacts, nodeId: runSteps.nodeId })
    .from(artifacts)
    .innerJoin(runSteps, eq(runSteps.id, artifacts.stepId))
    .where(eq(artifacts.runId, started.runId));
  const report = stored.find((row) => row.nodeId === 'evaluate')?.artifact;
  const dataset = stored.find((row) => row.nodeId === 'split')?.artifact;
  if (!report || !dataset) throw new Error('the run stored no report or dataset');
  reportArtifact = report;
  datasetArtifactId = dataset.id;
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A copy of the report's artifact row pointing at another file (of another kind, when given). */
async function artifactAt(uri: string, kind = reportArtifact.kind): Promise<string> {
  const { id: _id, createdAt: _createdAt, ...row } = reportArtifact;
  const [inserted] = await database.db
    .insert(artifacts)
    .values({ ...row, uri, kind })
    .returning({ id: artifacts.id });
  if (!inserted) throw new Error('no artifact row inserted');
  return inserted.id;
}

describe('artifacts.report', () => {
  it("returns an evaluate step's report, parsed", async () => {
    const report = await api.artifacts.report({ artifactId: reportArtifact.id });
    expect(report).toMatchObject({
      task: 'classification',
      algorithm: 'decision_tree',
      target: 'target',
      rows: 113,
    });
    expect(report.metrics.accuracy).toBeGreaterThan(0.8);
    expect(report.gates).toEqual([
      expect.objectContaining({
        metric: 'accuracy',
        threshold: 0.8,
        passed: true,
        description: 'accuracy >= 0.8',
      }),
    ]);
    expect(report.slices[0]).toMatchObject({ name: 'large' });
    expect(report.confusionMatrix?.labels).toEqual([0, 1]);
    expect(report.confusionMatrix?.matrix.flat().reduce((sum, count) => sum + count, 0)).toBe(113);
    expect(report.curves?.[0]?.roc.at(-1)).toEqual({ fpr: 1, tpr: 1 });
    expect(report.residuals).toBeUndefined();
    expect(report.importances.length).toBe(30);
    expect(report.permutationImportances.length).toBe(30);
    expect(report.training.rows).toBe(456);
  });

  it('refuses unknown ids, other kinds of artifact and ids that are not uuids', async () => {
    await expect(
      api.artifacts.report({ artifactId: '00000000-0000-4000-8000-000000000000' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(api.artifacts.report({ artifactId: datasetArtifactId })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/is a dataset, not an evaluation report/),
    });
    await expect(api.artifacts.report({ artifactId: 'report.json' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('reads only files inside DATA_DIR/artifacts', async () => {
    const outside = mkdtempSync(path.join(path.dirname(dataDir), 'pipewright-outside-'));
    try {
      const secret = path.join(outside, 'secret.json');
      copyFileSync(new URL(reportArtifact.uri), secret);
      await expect(
        api.artifacts.report({ artifactId: await artifactAt(pathToFileURL(secret).href) }),
      ).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      // `..` and a symbolic link out of the artifact folder are refused the same way.
      const climbing = `${pathToFileURL(path.join(dataDir, 'artifacts')).href}/../../${path.basename(outside)}/secret.json`;
      await expect(api.artifacts.report({ artifactId: await artifactAt(climbing) })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      const link = path.join(dataDir, 'artifacts', 'link.json');
      symlinkSync(secret, link);
      await expect(
        api.artifacts.report({ artifactId: await artifactAt(pathToFileURL(link).href) }),
      ).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      await expect(
        api.artifacts.report({ artifactId: await artifactAt('s3://bucket/report.json') }),
      ).rejects.toMatchObject({
        code: 'BAD_REQUEST',
      });
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('says so when the file is gone or is not an evaluation report', async () => {
    const gone = pathToFileURL(path.join(dataDir, 'artifacts', 'gone.json')).href;
    await expect(api.artifacts.report({ artifactId: await artifactAt(gone) })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'The data of this step is no longer stored',
    });
    const other = path.join(dataDir, 'artifacts', 'other.json');
    writeFileSync(other, JSON.stringify({ drift: [] }));
    await expect(
      api.artifacts.report({ artifactId: await artifactAt(pathToFileURL(other).href) }),
    ).rejects.toMatchObject({
      code: 'INTERNAL_SERVER_ERROR',
      message: expect.stringMatching(/^The stored report is not an evaluation report/),
    });
  });
});

/** A drift report as monitor.drift writes it: one numeric feature in alert. */
function driftReportFile(): string {
  const file = path.join(dataDir, 'artifacts', 'drift.json');
  const bins = { innerEdges: [1, 2], referenceCounts: [5, 5, 5], currentCounts: [1, 2, 12] };
  const missing = { reference: 0, current: 0, change: 0 };
  const feature = {
    feature: 'mean_radius',
    thresholds: { psiWarn: 0.1, psiAlert: 0.2 },
    kind: 'numeric',
    state: 'alert',
    psi: 0.61,
    bins,
    ks: { statistic: 0.4, pValue: 0.01, effectiveSize: 7 },
    jensenShannon: 0.3,
    wasserstein: 1.1,
    missing,
    referenceValues: 15,
    currentValues: 15,
  };
  const report = {
    kind: 'drift',
    checkId: '00000000-0000-4000-8000-000000000001',
    model: 'cancer',
    version: 1,
    state: 'alert',
    dataset: { drifted: true, driftedFeatures: 1, features: 1, driftedShare: 0.5 },
    reference: { source: 'registry', rows: 15 },
    current: { source: 'input', window: null, rows: 15, versions: [] },
    features: [feature],
    topFeatures: [{ feature: 'mean_radius', psi: 0.61, state: 'alert' }],
    modelStats: null,
    alerts: { opened: [], kept: [], closed: [] },
  };
  writeFileSync(file, JSON.stringify(report));
  return pathToFileURL(file).href;
}

describe('artifacts.driftReport', () => {
  it("returns a monitor step's drift report, parsed, and keeps the two kinds of report apart", async () => {
    const driftId = await artifactAt(driftReportFile(), 'drift');
    const report = await api.artifacts.driftReport({ artifactId: driftId });
    expect(report.state).toBe('alert');
    expect(report.features[0]).toMatchObject({ feature: 'mean_radius', psi: 0.61, state: 'alert' });
    expect(report.performance).toBeNull();
    await expect(api.artifacts.report({ artifactId: driftId })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/is a drift report, not an evaluation report/),
    });
    await expect(api.artifacts.driftReport({ artifactId: reportArtifact.id })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/is an evaluation report, not a drift report/),
    });
  });
});
