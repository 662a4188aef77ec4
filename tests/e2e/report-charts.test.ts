/**
 * The evaluation report's charts, drawn with Recharts, in Chromium against the production app: a
 * binary classification run (ROC and precision–recall curves with their dashed references) and a
 * regression run (predicted against actual, residual histogram), each trained by the real worker.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../runtime/launcher/web-app';
import { accountsAuth, createAccount } from '../support/accounts';
import { type Browser, launchBrowser, watchPageErrors } from '../support/browser';
import { setUpDatabaseAndWorker } from '../support/fixture';
import { pipelineDoc } from '../support/pipeline-doc';
import { runToEnd, savePipeline } from '../support/pipelines';
import { startWebApp } from '../support/web-app';

const fixture = setUpDatabaseAndWorker();
const screenshots = path.resolve(import.meta.dirname, '..', '..', '.data', 'e2e-screenshots');
const PASSWORD = 'a long enough password';
let app: RunningApp;
let browser: Browser;
const runs = {
  classification: { pipelineId: '', runId: '' },
  multiclass: { pipelineId: '', runId: '' },
  regression: { pipelineId: '', runId: '' },
};

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

async function trained(sample: 'breast_cancer' | 'iris' | 'diabetes', split: Record<string, unknown>) {
  const { db } = fixture.database;
  const { pipeline, version } = await savePipeline(db, evaluated(sample, split), `Report ${sample}`);
  const { started, result } = await runToEnd(db, fixture.worker, version.id);
  expect(result.status).toBe('succeeded');
  return { pipelineId: pipeline.id, runId: started.runId };
}

beforeAll(async () => {
  const auth = accountsAuth(fixture.database.db);
  await createAccount(auth, 'viewer', { email: 'vic@report.test', password: PASSWORD });
  runs.classification = await trained('breast_cancer', { method: 'stratified', stratifyBy: 'target' });
  runs.multiclass = await trained('iris', { method: 'stratified', stratifyBy: 'target' });
  runs.regression = await trained('diabetes', { method: 'random' });
  app = await startWebApp(fixture);
  browser = await launchBrowser();
  mkdirSync(screenshots, { recursive: true });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function signIn(page: Page, email: string, next: string): Promise<void> {
  await page.goto(`${app.url}/sign-in?next=${encodeURIComponent(next)}`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(`${app.url}${next}`);
}

/** The run on the canvas with the evaluate step's report open in the details panel. */
async function openReport(page: Page, run: { pipelineId: string; runId: string }) {
  await signIn(page, 'vic@report.test', `/pipelines/${run.pipelineId}?run=${run.runId}`);
  await page.locator('.react-flow__node[data-id="evaluate"]').click();
  const report = page.locator('.eval-report');
  await report.locator('.recharts-surface').first().waitFor({ timeout: 30_000 });
  return report;
}

describe('Evaluation report charts', () => {
  it('draws the ROC and precision–recall curves with their dashed references and a tooltip', async () => {
    const page = await browser.context.newPage();
    const errors = watchPageErrors(page);
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
    await report
      .locator('.report-charts')
      .first()
      .screenshot({
        path: path.join(screenshots, 'report-classification-charts.png'),
      });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws a line per class, one against the rest, with a legend', async () => {
    const page = await browser.context.newPage();
    const errors = watchPageErrors(page);
    const report = await openReport(page, runs.multiclass);
    const charts = report.locator('.report-chart');
    expect(await charts.locator('.recharts-line').count()).toBe(6);
    expect(await report.locator('.chart-legend li').allTextContents()).toEqual([
      expect.stringContaining('setosa'),
      expect.stringContaining('versicolor'),
      expect.stringContaining('virginica'),
    ]);
    await report
      .locator('.report-charts')
      .first()
      .screenshot({
        path: path.join(screenshots, 'report-multiclass-charts.png'),
      });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws predicted against actual and the residual histogram', async () => {
    const page = await browser.context.newPage();
    const errors = watchPageErrors(page);
    const report = await openReport(page, runs.regression);
    const charts = report.locator('.report-chart');
    expect(await charts.locator('.recharts-scatter-symbol').count()).toBeGreaterThan(20);
    expect(await charts.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(3);
    expect(await charts.locator('.recharts-reference-line').count()).toBe(2);
    await report
      .locator('.report-charts')
      .first()
      .screenshot({
        path: path.join(screenshots, 'report-regression-charts.png'),
      });
    expect(errors).toEqual([]);
    await page.close();
  });
});
