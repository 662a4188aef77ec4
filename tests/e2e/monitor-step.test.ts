/**
 * A monitor step's details, in Chromium against the production app: a real Monitor drift run (the
 * test worker, a registered model with its reference, logged predictions whose tenure has shifted,
 * feedback on part of them) opened on its canvas, the step clicked: the drift report with each
 * feature's state, PSI and test, and the step's summary.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { insertPredictionLog, type PredictionLogRow } from '../../db/queries/prediction-log';
import { quantileEdges } from '../../ml/drift/quantile';
import { sortValues } from '../../ml/drift/sorted-values';
import type { ModelSignature } from '../../registry/version-schema';
import { setUpE2eSession } from '../support/e2e-session';
import { pipelineDoc } from '../support/pipeline-doc';
import { runToEnd, savePipeline } from '../support/pipelines';
import { registerTestModel } from '../support/registered-model';

const signature: ModelSignature = {
  inputs: [
    { name: 'tenure', type: 'number', unknownCategories: 'accept', nullable: true },
    { name: 'plan', type: 'string', unknownCategories: 'accept', nullable: true },
  ],
  output: { task: 'classification', labels: ['no', 'yes'] },
};
const PLANS = ['basic', 'pro', 'team'];

/** Row i of a deterministic population: tenure spread over 0-60 months, plans in turn. */
function row(i: number, shift: number): [number, string] {
  return [((i * 37) % 600) / 10 + shift, PLANS[i % 3] ?? 'basic'];
}

const run = { pipelineId: '', runId: '' };

const SLICES = [
  { name: 'Pro plan', condition: { column: 'plan', operator: '=', value: 'pro' } },
  { name: 'Long tenure', condition: { column: 'tenure', operator: '>=', value: 40 } },
  { name: 'By region', condition: { column: 'region', operator: '=', value: 'EU' } },
];
/** The 400 predictions with feedback (rows 0-399, tenure shifted by 8). */
const labelledRows = Array.from({ length: 400 }, (_, i) => row(i, 8));

const session = setUpE2eSession({
  accounts: { viewer: 'vic@monitor-step.test' },
  async before(fixture) {
    const { sql, db } = fixture.database;
    const reference = Array.from({ length: 2_000 }, (_, i) => row(i, 0));
    const tenure = Float64Array.from(reference, ([value]) => value);
    // The pipeline that made the version: its evaluate step's slices are measured again on feedback.
    const training = await savePipeline(
      db,
      pipelineDoc(
        [
          { id: 'train', type: 'train', config: { target: 'churned' } },
          { id: 'evaluate', type: 'evaluate', config: { slices: SLICES } },
          { id: 'deploy', type: 'deploy', config: { model: 'churn' } },
        ],
        ['train.model->evaluate.model', 'train.model->deploy.model', 'evaluate.report->deploy.report'],
      ),
      'Churn training',
    );
    const { modelId } = await registerTestModel(sql, {
      madeBy: { pipelineVersionId: training.version.id, nodeId: 'deploy' },
      name: 'churn',
      model: { onnx: Buffer.from('monitoring never loads the graph'), signature },
      alias: 'production',
      metrics: { accuracy: 0.9, f1: 0.85 },
      reference: {
        columns: {
          tenure: {
            kind: 'number',
            deciles: Array.from(quantileEdges(sortValues(tenure).values, 10)),
            missingRate: 0,
          },
          plan: { kind: 'category', frequencies: { basic: 1 / 3, pro: 1 / 3, team: 1 / 3 }, missingRate: 0 },
        },
        sample: { columns: ['tenure', 'plan'], rows: reference },
      },
    });
    // Half an hour ago: 1,000 predictions whose tenure runs 8 months longer, answered yes below 30.
    const at = Date.now() - 30 * 60_000;
    const logged = Array.from({ length: 1_000 }, (_, i): PredictionLogRow => {
      const [months, plan] = row(i, 8);
      return {
        predictionId: randomUUID(),
        requestId: `request-${i}`,
        modelId,
        version: 1,
        at: new Date(at + i),
        latencyMs: 2 + (i % 7),
        inputs: [months, plan],
        outputs: { label: months < 30 ? 'yes' : 'no' },
      };
    });
    await insertPredictionLog(sql, logged);
    // Feedback on 400 of them: the truth is yes below 20 months, so some yes answers were wrong.
    for (const [i, prediction] of logged.slice(0, 400).entries())
      await sql`
        insert into prediction_feedback (prediction_id, model_id, version, label)
        values (${prediction.predictionId}, ${modelId}, 1, ${JSON.stringify(row(i, 8)[0] < 20 ? 'yes' : 'no')}::jsonb)`;
    const { pipeline, version } = await savePipeline(
      db,
      pipelineDoc([{ id: 'drift', type: 'monitor.drift', config: { model: 'churn', windowLength: 1 } }], []),
      'Churn monitor',
    );
    const { started, result } = await runToEnd(db, fixture.worker, version.id);
    expect(result.status).toBe('succeeded');
    run.pipelineId = pipeline.id;
    run.runId = started.runId;
  },
});

describe("a monitor step's details", () => {
  it('show the drift report: the verdict, each feature with its state, PSI and test, and the summary', async () => {
    const page = await session.newPage();
    await session.signIn(page, 'viewer', `/pipelines/${run.pipelineId}?run=${run.runId}`);
    await page.locator('.react-flow__node[data-id="drift"]').click();
    const report = page.locator('.drift-report');
    await report.waitFor({ timeout: 30_000 });
    const verdict = await report.locator('.drift-verdict').textContent();
    expect(verdict).toContain('churn v1');
    expect(verdict).toContain('1 of 2 features drifted');
    const rows = report.locator('.drift-features tbody tr');
    expect(await rows.locator('th').allTextContents()).toEqual(['tenure', 'plan']);
    expect(await rows.nth(0).locator('.drift-state').textContent()).toBe('alert');
    expect(await rows.nth(1).locator('.drift-state').textContent()).toBe('ok');
    expect(await rows.nth(0).locator('td').nth(2).getAttribute('title')).toMatch(/^Kolmogorov–Smirnov D \d/);
    expect(await rows.nth(1).locator('td').nth(2).getAttribute('title')).toMatch(
      /^chi-square \d.* on 2 degrees/,
    );
    const performance = report.locator('.drift-performance tbody tr');
    expect(await performance.locator('th').allTextContents()).toEqual(['Accuracy', 'F1 score']);
    // Each slice on its own labelled predictions; one the log cannot give says why.
    const slices = report.locator('.drift-slices tbody tr');
    expect(await slices.locator('th').allTextContents()).toEqual(['Pro plan', 'Long tenure', 'By region']);
    const pro = labelledRows.filter(([, plan]) => plan === 'pro').length;
    const long = labelledRows.filter(([months]) => months >= 40).length;
    expect(await slices.nth(0).locator('td').first().textContent()).toBe(String(pro));
    expect(await slices.nth(1).locator('td').first().textContent()).toBe(String(long));
    // Long tenures are answered no, and no is the truth there: every one is right.
    expect(await slices.nth(1).locator('td').nth(1).textContent()).toMatch(/^1(\.0+)?$/);
    expect(await slices.nth(2).locator('td').textContent()).toBe(
      'Not measured: column "region" is not one of the model\'s inputs, so the prediction log does not have it.',
    );
    await session.screenshot(page, 'monitor-step-details');
  });
});
