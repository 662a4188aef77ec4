/**
 * models.compare against a real PostgreSQL and Temporal: two versions of one model registered by
 * real runs (ingest → clean → split → feature → train → evaluate → deploy), the second trained by
 * another algorithm on filtered data with a column dropped. The answer is checked against what the
 * runs recorded: the registry rows' metrics, the evaluate steps' reports (kept with each version as
 * evaluation.json) and the training datasets' profiles. Then the versions registered before reports
 * were kept with them: the report is read from the run's evaluate step, and when retention deleted
 * that file, the parts are null ("Not recorded"), the rest still there. And the refusals.
 */
import { TRPCError } from '@trpc/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareMetrics } from '../app/_models/compare/metric-rows';
import { compareProfiles } from '../app/_models/compare/profile-diff';
import { readProfile } from '../nodes/_data/profile-schema';
import { numericMetrics } from '../nodes/evaluate/main-metric';
import { EVALUATION_FILE } from '../registry/version-schema';
import { setUpDatabaseAndWorker } from './support/fixture';
import { testActor, testCaller } from './support/services';
import {
  COMPARED_MODEL,
  COMPARED_REGRESSION,
  comparedVersion,
  keptReport,
  registerComparedVersions,
  registerRegressionVersions,
} from './support/version-compare-scenario';

const fixture = setUpDatabaseAndWorker();
const MODEL = COMPARED_MODEL;
const viewer = () => testCaller(fixture.database, fixture.worker, testActor('viewer')).caller;
const versionRow = (version: number) => comparedVersion(fixture, version);

beforeAll(async () => {
  await registerComparedVersions(fixture);
  await registerRegressionVersions(fixture);
}, 300_000);

describe('models.compare', () => {
  it('answers production against the newest other version with what the runs recorded', async () => {
    const answer = await viewer().models.compare({ name: MODEL });
    expect([answer.a.version, answer.b.version]).toEqual([1, 2]);
    expect(answer.a.aliases).toEqual(['production']);
    expect([answer.a.algorithm, answer.b.algorithm]).toEqual(['gradient_boosting', 'linear']);
    expect([answer.a.evaluationSource, answer.b.evaluationSource]).toEqual(['version', 'version']);

    const [rowA, rowB] = [await versionRow(1), await versionRow(2)];
    const metricsA = Object.fromEntries(numericMetrics({ metrics: rowA.metrics }));
    const metricsB = Object.fromEntries(numericMetrics({ metrics: rowB.metrics }));
    expect(answer.metrics).toEqual(compareMetrics(metricsA, metricsB));
    const accuracy = answer.metrics.find((row) => row.name === 'accuracy');
    expect(accuracy?.a).toBe(metricsA.accuracy);
    expect(accuracy?.b).toBe(metricsB.accuracy);
    expect(accuracy?.delta).toBeCloseTo(
      (metricsB.accuracy ?? Number.NaN) - (metricsA.accuracy ?? Number.NaN),
      12,
    );
    const logLoss = answer.metrics.find((row) => row.name === 'log_loss');
    expect(logLoss?.lowerIsBetter).toBe(true);
    expect(logLoss?.better).toBe((metricsB.log_loss ?? 0) < (metricsA.log_loss ?? 0) ? 'b' : 'a');

    const [reportA, reportB] = [await keptReport(fixture, 1), await keptReport(fixture, 2)];
    // The kept report is the evaluate step's: its metrics are the version's.
    expect(reportA.metrics).toEqual(metricsA);
    expect(answer.a.confusion).toEqual(reportA.confusionMatrix);
    expect(answer.b.confusion).toEqual(reportB.confusionMatrix);
    expect(answer.b.testRows).toBe(reportB.rows);
    const sum = (matrix: number[][] | undefined) =>
      (matrix ?? []).flat().reduce((total, count) => total + count, 0);
    expect(sum(answer.b.confusion?.matrix)).toBe(reportB.rows);
    // Binary: one curve each, with the exact AUC of all test rows.
    expect(answer.a.roc?.map((curve) => curve.auc)).toEqual([metricsA.roc_auc]);
    expect(answer.b.roc?.[0]?.points).toEqual(
      reportB.curves?.[0]?.roc.map((point) => ({ x: point.fpr, y: point.tpr })),
    );
    expect(answer.a.residuals).toBeNull();

    // Paired by feature, by the larger of the two: the top one is either version's top feature.
    const topA = Math.max(...reportA.importances.map((item) => item.importance));
    const topB = Math.max(...reportB.importances.map((item) => item.importance));
    const [first] = answer.importances.model;
    expect(Math.max(first?.a ?? 0, first?.b ?? 0)).toBe(Math.max(topA, topB));
    expect(answer.importances.recorded).toEqual({ a: true, b: true });
    for (const pair of answer.importances.model) {
      expect(pair.a).toBe(
        reportA.importances.find((item) => item.feature === pair.feature)?.importance ?? null,
      );
      expect(pair.b).toBe(
        reportB.importances.find((item) => item.feature === pair.feature)?.importance ?? null,
      );
    }

    // The training data: different checksums, fewer rows after the filter, the dropped column removed.
    const profileA = readProfile(rowA.datasetProfile);
    const profileB = readProfile(rowB.datasetProfile);
    expect(answer.profile).toEqual(
      compareProfiles(
        { sha256: rowA.datasetSha256, profile: profileA },
        { sha256: rowB.datasetSha256, profile: profileB },
      ),
    );
    expect(answer.profile.sameData).toBe(false);
    expect(answer.profile.a.rows).toBe(569);
    expect(answer.profile.b.rows).toBeLessThan(569);
    expect(answer.profile.columns.find((column) => column.name === 'mean_fractal_dimension')?.status).toBe(
      'removed',
    );
    const radius = answer.profile.columns.find((column) => column.name === 'mean_radius');
    expect(radius?.b?.mean).toBeLessThan(radius?.a?.mean ?? 0);
    expect(radius?.shifts.some((shift) => shift.startsWith('mean fell '))).toBe(true);
  });

  it('compares regression versions by their errors and residuals, with no matrix or curves', async () => {
    // No production: the older and the newer of the two newest.
    const answer = await viewer().models.compare({ name: COMPARED_REGRESSION });
    expect([answer.a.version, answer.b.version]).toEqual([1, 2]);
    expect([answer.a.task, answer.b.task]).toEqual(['regression', 'regression']);
    expect([answer.a.confusion, answer.a.roc, answer.b.confusion, answer.b.roc]).toEqual([
      null,
      null,
      null,
      null,
    ]);
    const byName = Object.fromEntries(answer.metrics.map((row) => [row.name, row]));
    expect(byName.rmse?.lowerIsBetter).toBe(true);
    expect(byName.r2?.lowerIsBetter).toBe(false);
    for (const name of ['rmse', 'mae', 'r2']) {
      const row = byName[name];
      if (!row || row.a === null || row.b === null) throw new Error(`${name} was not compared`);
      const bWins = row.lowerIsBetter ? row.b < row.a : row.b > row.a;
      expect(row.better).toBe(bWins ? 'b' : 'a');
    }
    const report = await keptReport(fixture, 2, COMPARED_REGRESSION);
    const residuals = (report.residuals ?? []).map((row) => row.residual);
    expect(answer.b.residuals?.rows).toBe(residuals.length);
    expect(answer.b.residuals?.maxAbsolute).toBe(Math.max(...residuals.map(Math.abs)));
    expect(answer.b.residuals?.mean).toBeCloseTo(
      residuals.reduce((sum, value) => sum + value, 0) / residuals.length,
      9,
    );
    // Same pipeline up to the model: the same training data, so no column differs.
    expect(answer.profile.sameData).toBe(true);
    expect(
      answer.profile.columns.every((column) => column.status === 'kept' && column.shifts.length === 0),
    ).toBe(true);
  });

  it('compares the versions asked for, either way round', async () => {
    const answer = await viewer().models.compare({ name: MODEL, a: 2, b: 1 });
    expect([answer.a.version, answer.b.version]).toEqual([2, 1]);
    expect(answer.profile.columns.find((column) => column.name === 'mean_fractal_dimension')?.status).toBe(
      'added',
    );
  });

  it("reads an older version's report from its run, and says nothing was recorded once that file is gone", async () => {
    const before = await viewer().models.compare({ name: MODEL });
    const { sql } = fixture.database;
    const row = await versionRow(1);
    // Version 1 as registered before reports were kept with versions.
    await sql`delete from model_files where version_id = ${row.id} and name = ${EVALUATION_FILE}`;
    const fromRun = await viewer().models.compare({ name: MODEL });
    expect(fromRun.a.evaluationSource).toBe('run');
    expect(fromRun.a.confusion).toEqual(before.a.confusion);
    expect(fromRun.a.roc).toEqual(before.a.roc);
    expect(fromRun.importances).toEqual(before.importances);

    // Retention deleted the run's report: the parts are not recorded; metrics and profiles remain.
    await sql`
      update artifacts set deleted_at = now() where run_id = ${row.runId} and kind = 'report'`;
    const gone = await viewer().models.compare({ name: MODEL });
    expect(gone.a).toMatchObject({ evaluationSource: null, confusion: null, roc: null, testRows: null });
    expect(gone.importances.recorded).toEqual({ a: false, b: true });
    expect(gone.importances.model.every((pair) => pair.a === null)).toBe(true);
    expect(gone.metrics).toEqual(before.metrics);
    expect(gone.profile).toEqual(before.profile);
  });

  it('refuses an unknown model or version, and a version compared with itself, saying which', async () => {
    const refusal = async (input: Parameters<ReturnType<typeof viewer>['models']['compare']>[0]) => {
      try {
        await viewer().models.compare(input);
      } catch (error) {
        return error instanceof TRPCError ? [error.code, error.message] : error;
      }
      return 'no refusal';
    };
    expect(await refusal({ name: 'nope' })).toEqual(['NOT_FOUND', 'There is no model named nope.']);
    expect(await refusal({ name: MODEL, a: 1, b: 9 })).toEqual(['NOT_FOUND', 'b: cancer has no version 9.']);
    expect(await refusal({ name: MODEL, a: 2, b: 2 })).toEqual([
      'BAD_REQUEST',
      'b: pick two different versions (a and b are both version 2).',
    ]);
    expect(await refusal({ name: MODEL, a: 0 })).toEqual([
      'BAD_REQUEST',
      expect.stringContaining('a is a version number, from 1'),
    ]);
  });
});
