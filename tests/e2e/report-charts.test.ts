/**
 * The evaluation report's charts, drawn with Recharts, in Chromium against the production app: a
 * binary classification run (ROC and precision–recall curves with their dashed references) and a
 * regression run (predicted against actual, residual histogram), each trained by the real worker.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { setUpE2eSession } from '../support/e2e-session';
import type { Fixture } from '../support/fixture';
import { pipelineDoc } from '../support/pipeline-doc';
import { runToEnd, savePipeline } from '../support/pipelines';

const runs = {
  classification: { pipelineId: '', runId: '' },
  multiclass: { pipelineId: '', runId: '' },
  regression: { pipelineId: '', runId: '' },
};
const session = setUpE2eSession({
  accounts: { viewer: 'vic@report.test' },
  async before(fixture) {
    runs.classification = await trained(fixture, 'breast_cancer', {
      method: 'stratified',
      stratifyBy: 'target',
    });
    runs.multiclass = await trained(fixture, 'iris', { method: 'stratified', stratifyBy: 'target' });
    runs.regression = await trained(fixture, 'diabetes', { method: 'random' });
  },
});

function evaluated(sample: 'breast_cancer' | 'iris' | 'diabetes', split: Record<string, unknown>) {
  return pipelineDoc(
    [
      { id: 'ingest', type: 'ingest', config: { source: 'sample', sample } },
      { id: 'split', type: 'split', config: split },
      { id: 'train', type: 'train', config: { target: 'target', algorithm: 'decision_tree', maxDepth: 4 } },
      { id: 'evaluate', type: 'evaluate' },
    ],
    [
      'ingest.data->split.data',
      'split.data->train.data',
      'train.model->evaluate.model',
      'split.data->evaluate.data',
    ],
  );
}

async function trained(
  fixture: Fixture,
  sample: 'breast_cancer' | 'iris' | 'diabetes',
  split: Record<string, unknown>,
) {
  const { db } = fixture.database;
  const { pipeline, version } = await savePipeline(db, evaluated(sample, split), `Report ${sample}`);
  const { started, result } = await runToEnd(db, fixture.worker, version.id);
  expect(result.status).toBe('succeeded');
  return { pipelineId: pipeline.id, runId: started.runId };
}

/** The run on the canvas with the evaluate step's report open in the details panel. */
async function openReport(page: Page, run: { pipelineId: string; runId: string }) {
  await session.signIn(page, 'viewer', `/pipelines/${run.pipelineId}?run=${run.runId}`);
  await page.locator('.react-flow__node[data-id="evaluate"]').click();
  const report = page.locator('.eval-report');
  await report.locator('.recharts-surface').first().waitFor({ timeout: 30_000 });
  return report;
}

describe('Evaluation report charts', () => {
  it('draws the ROC and precision–recall curves with their dashed references and a tooltip', async () => {
    const page = await session.newPage();
    const report = await openReport(page, runs.classification);
    const charts = report.locator('.report-chart');
    expect(await charts.locator('.recharts-line').count()).toBe(2);
    expect(await charts.locator('.recharts-reference-line').count()).toBe(2);
    expect(await charts.first().locator('[role=img]').getAttribute('aria-label')).toMatch(/^ROC curve/);
    // Both axes' ticks are the unit square's quarters.
    const ticks = await charts.first().locator('.recharts-cartesian-axis-tick-value').allTextContents();
    expect(ticks.sort()).toEqual(['0', '0', '0.25', '0.25', '0.5', '0.5', '0.75', '0.75', '1', '1']);
    await charts.first().locator('.recharts-surface').hover();
    await charts
      .first()
      .locator('.recharts-tooltip-wrapper')
      .getByText(/^False positive rate [\d.]+$/)
      .waitFor();
    await session.screenshot(report.locator('.report-charts').first(), 'report-classification-charts');
  });

  it('draws a line per class, one against the rest, with a legend', async () => {
    const page = await session.newPage();
    const report = await openReport(page, runs.multiclass);
    const charts = report.locator('.report-chart');
    expect(await charts.locator('.recharts-line').count()).toBe(6);
    expect(await report.locator('.chart-legend li').allTextContents()).toEqual([
      expect.stringContaining('setosa'),
      expect.stringContaining('versicolor'),
      expect.stringContaining('virginica'),
    ]);
    await session.screenshot(report.locator('.report-charts').first(), 'report-multiclass-charts');
  });

  it('draws predicted against actual and the residual histogram', async () => {
    const page = await session.newPage();
    const report = await openReport(page, runs.regression);
    const charts = report.locator('.report-chart');
    expect(await charts.locator('.recharts-scatter-symbol').count()).toBeGreaterThan(20);
    expect(await charts.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(3);
    expect(await charts.locator('.recharts-reference-line').count()).toBe(2);
    await session.screenshot(report.locator('.report-charts').first(), 'report-regression-charts');
  });
});
