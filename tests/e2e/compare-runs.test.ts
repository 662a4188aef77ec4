/**
 * Comparing runs in Chromium against the production app: a pipeline's run history with its
 * metric-over-time chart (a tooltip on hover), two runs ticked and compared, the best metric value
 * marked, and "only differences" hiding the rows every run agrees on. Runs are written straight into
 * PostgreSQL with known summaries, so the values on the page are known.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createPipeline, saveVersion } from '../../db/queries/pipelines';
import { cellTexts } from '../support/browser';
import { setUpE2eSession } from '../support/e2e-session';
import type { Fixture } from '../support/fixture';
import { pipelineDoc } from '../support/pipeline-doc';
import { storedRun } from '../support/stored-runs';

let pipelineId = '';
const session = setUpE2eSession({ accounts: { viewer: 'vic@compare.test' }, before: seedRuns });

const graph = pipelineDoc(
  [
    { id: 'train', type: 'train' },
    { id: 'check', type: 'evaluate' },
  ],
  ['train.model->check.model'],
  [{ name: 'depth', type: 'number', default: 4, description: '' }],
);

/** Two weeks of nightly scheduled runs and a few manual ones, the newest two compared. */
async function seedRuns(fixture: Fixture): Promise<void> {
  const { db } = fixture.database;
  const created = await createPipeline(db, { name: 'Churn nightly', graph });
  pipelineId = created.pipeline.id;
  const second = await saveVersion(db, { pipelineId, graph });
  for (let day = 1; day <= 14; day++) {
    const at = `2026-03-${String(day).padStart(2, '0')}T06:00:00Z`;
    const failed = day === 9;
    await storedRun(db, {
      versionId: day > 7 ? second.id : created.version.id,
      pipelineId,
      at,
      trigger: 'schedule',
      status: failed ? 'failed' : 'succeeded',
      summary: failed
        ? { rows: 300, metrics: { accuracy: 0.71, f1: 0.52, log_loss: 0.61 } }
        : {
            rows: 300,
            metrics: { accuracy: 0.8 + day * 0.005, f1: 0.7 + day * 0.004, log_loss: 0.5 - day * 0.01 },
          },
      trainMs: 1200 + day * 30,
    });
    if (day % 4 === 0) {
      await storedRun(db, {
        versionId: second.id,
        pipelineId,
        at: `2026-03-${String(day).padStart(2, '0')}T14:30:00Z`,
        parameters: { depth: 8 },
        summary: { rows: 300, metrics: { accuracy: 0.84, f1: 0.75, log_loss: 0.4 } },
        trainMs: 2100,
      });
    }
  }
}

/** The row header and cell texts of the comparison's rows that have a row header. */
function comparisonRows(page: Page): Promise<string[][]> {
  return cellTexts(page.locator('.compare-table tbody tr').filter({ has: page.locator('th[scope=row]') }));
}

describe('Compare runs', () => {
  it('plots the main metric over time, compares two ticked runs and hides what they share', async () => {
    const page = await session.newPage();
    await session.signIn(page, 'viewer', `/pipelines/${pipelineId}/runs`);

    // The chart: one mark per run with a metric, scheduled ones as triangles.
    const chart = page.locator('.metric-over-time');
    await chart.locator('.recharts-scatter').waitFor();
    expect(await chart.locator('.recharts-scatter path').count()).toBe(14);
    expect(await chart.locator('.recharts-scatter circle').count()).toBe(3);
    await expect.poll(() => chart.locator('h2').textContent()).toBe('Accuracy over time');
    // Hovering the last scheduled run shows its tooltip.
    const marks = chart.locator('.recharts-scatter path');
    await marks.nth(13).hover();
    const tooltip = chart.locator('.chart-tooltip');
    await tooltip.waitFor();
    expect(await tooltip.textContent()).toContain('Accuracy 0.87');
    expect(await tooltip.textContent()).toContain('v2 · schedule · succeeded');
    await session.screenshot(page, 'compare-run-history-chart', { fullPage: true });
    // Zoom: the brush's left handle dragged to the middle leaves the later half of the runs.
    const handle = chart.locator('.recharts-brush-traveller').first();
    const slide = await chart.locator('.recharts-brush > rect').first().boundingBox();
    const grip = await handle.boundingBox();
    if (!slide || !grip) throw new Error('the brush is not drawn');
    await page.mouse.move(grip.x + grip.width / 2, grip.y + grip.height / 2);
    await page.mouse.down();
    await page.mouse.move(slide.x + slide.width / 2, grip.y + grip.height / 2, { steps: 8 });
    await page.mouse.up();
    const zoomed = await chart.locator('.recharts-scatter path, .recharts-scatter circle').count();
    expect(zoomed).toBeGreaterThan(3);
    expect(zoomed).toBeLessThan(14);
    await session.screenshot(chart, 'compare-metric-chart-zoomed');

    // Tick the newest scheduled run (14 March) and the newest manual one (12 March, third row).
    const compareButton = page.getByRole('button', { name: /^Compare \(/ });
    expect(await compareButton.isDisabled()).toBe(true);
    const boxes = page.locator('.run-table tbody input[type=checkbox]');
    await boxes.nth(0).check();
    await boxes.nth(2).check();
    expect(await compareButton.textContent()).toBe('Compare (2)');
    await compareButton.click();
    await page.waitForURL(/\/runs\/compare\?ids=/);
    await page.locator('.compare-table').waitFor();

    const rows = await comparisonRows(page);
    expect(rows).toContainEqual(['Version', 'v2', 'v2']);
    expect(rows).toContainEqual(['Trigger', 'schedule', 'manual']);
    expect(rows).toContainEqual(['depth', '4', '8']);
    expect(rows).toContainEqual(['train status', 'succeeded', 'succeeded']);
    // Accuracy: 0.87 beats 0.84; log loss: lower is better, 0.36 beats 0.4.
    expect(rows).toContainEqual(['Accuracy', '0.87 ★ best', '0.84']);
    expect(rows).toContainEqual(['Log loss', '0.36 ★ best', '0.4']);
    await session.screenshot(page, 'compare-runs', { fullPage: true });

    await page.getByRole('switch', { name: 'Only differences' }).check();
    const differing = (await comparisonRows(page)).map((row) => row[0]);
    expect(differing).not.toContain('Version');
    expect(differing).not.toContain('Pipeline');
    expect(differing).not.toContain('train status');
    expect(differing).toContain('Trigger');
    expect(differing).toContain('depth');
    expect(differing).toContain('Accuracy');
    await session.screenshot(page, 'compare-runs-differences', { fullPage: true });
  });

  it('says why when the link names fewer than two runs', async () => {
    // The page says so itself, asking nothing of the server.
    const page = await session.newPage();
    await session.signIn(page, 'viewer', `/runs/compare?ids=${pipelineId}`);
    await expect
      .poll(() => page.locator('.error-text').textContent())
      .toBe('Pick at least 2 runs to compare.');
  });
});
