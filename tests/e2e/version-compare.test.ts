/**
 * The model page's Compare tab in Chromium against the production app. Two versions of `cancer`
 * registered by real runs (tests/support/version-compare-scenario.ts) and a third written straight
 * into the registry with metrics only, as an imported or older version would be. The tab opens on
 * production against the newest other version, says what that version did not record, compares the
 * versions picked (metrics with the change and the winner, ROC curves with each AUC, confusion
 * matrices, paired importances, training data), and keeps the choice in the address: ticked in the
 * versions table, swapped, reloaded. Every figure is checked against what the registry recorded.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { formatCount, formatNumber } from '../../app/_components/format';
import { signed } from '../../app/_models/compare/sides';
import { numericMetrics } from '../../nodes/evaluate/main-metric';
import { cellTexts } from '../support/browser';
import { setUpE2eSession } from '../support/e2e-session';
import { seedModel } from '../support/models';
import {
  COMPARED_MODEL,
  COMPARED_REGRESSION,
  comparedVersion,
  keptReport,
  registerComparedVersions,
  registerRegressionVersions,
} from '../support/version-compare-scenario';

const session = setUpE2eSession({
  accounts: { viewer: 'vera@compare.test' },
  async before(fixture) {
    await registerComparedVersions(fixture);
    await registerRegressionVersions(fixture);
    // Version 3: metrics only, no report and no profile (imported, or registered before they were kept).
    await seedModel(fixture.database.sql, COMPARED_MODEL, [{ metrics: { accuracy: 0.9 } }]);
  },
});

const metricsOf = async (version: number, name = COMPARED_MODEL) =>
  Object.fromEntries(
    numericMetrics({ metrics: (await comparedVersion(session.fixture, version, name)).metrics }),
  );

async function metricRows(page: Page): Promise<Record<string, string[]>> {
  const rows = await cellTexts(page.locator('[data-testid=compare-metrics] tbody tr'));
  return Object.fromEntries(rows.map((row) => [row[0]?.replace(/\s*[↑↓] better$/, '') ?? '', row.slice(1)]));
}

/** Nothing sticks out sideways at 1280 px: the page does not scroll horizontally. */
async function overflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

describe('Compare versions', () => {
  it('opens on production against the newest other version, and compares the versions picked', async () => {
    const page = await session.newPage();
    await session.signIn(page, 'viewer', `/models/${COMPARED_MODEL}?tab=compare`);
    await page.getByRole('heading', { name: 'Test metrics' }).waitFor();
    expect(await page.getByTestId('compare-side-a').textContent()).toMatch(/^Av1production/);
    expect(await page.getByTestId('compare-side-b').textContent()).toMatch(/^Bv3/);
    // Version 3 holds metrics only: the rest says so.
    expect(await page.getByTestId('confusion-b').textContent()).toContain('Not recorded for this version');
    expect(await page.getByTestId('dataset-b').textContent()).toContain('Not recorded for this version');
    const v1 = await metricsOf(1);
    const sparse = await metricRows(page);
    expect(sparse.Accuracy?.slice(0, 2)).toEqual([formatNumber(v1.accuracy), '0.9']);
    expect(sparse['ROC AUC']).toEqual([formatNumber(v1.roc_auc), '–', '–', '–']);
    await session.screenshot(page.locator('.version-compare'), 'version-compare-not-recorded');

    await page.getByLabel('B (compared)').selectOption('2');
    await page.waitForURL(/[?&]a=1&b=2$/);
    await expect.poll(async () => page.getByTestId('compare-side-b').textContent()).toMatch(/^Bv2/);
    await page.getByTestId('confusion-b').locator('table').waitFor();

    const v2 = await metricsOf(2);
    const rows = await metricRows(page);
    const accuracyDelta = (v2.accuracy ?? 0) - (v1.accuracy ?? 0);
    expect(rows.Accuracy?.slice(0, 2)).toEqual([formatNumber(v1.accuracy), formatNumber(v2.accuracy)]);
    expect(rows.Accuracy?.[2]).toContain(signed(formatNumber(Math.abs(accuracyDelta)), accuracyDelta));
    expect(rows.Accuracy?.[3]).toBe(accuracyDelta > 0 ? 'v2' : accuracyDelta < 0 ? 'v1' : 'tie');
    // Lower log loss wins, whichever way the figures go.
    expect(rows['Log loss']?.[3]).toBe((v2.log_loss ?? 0) < (v1.log_loss ?? 0) ? 'v2' : 'v1');

    // One ROC chart, two curves, each AUC in the legend.
    const legend = await page.locator('.compare-roc .chart-legend li').allTextContents();
    expect(legend).toEqual([
      `A · v1 · productionAUC ${formatNumber(v1.roc_auc)}`,
      `B · v2AUC ${formatNumber(v2.roc_auc)}`,
    ]);
    expect(await page.locator('.compare-roc .recharts-line').count()).toBe(2);

    const [report1, report2] = [await keptReport(session.fixture, 1), await keptReport(session.fixture, 2)];
    const counts = (matrix: number[][] | undefined) => (matrix ?? []).flat().map(formatCount);
    expect(await page.getByTestId('confusion-a').locator('.cm-count').allTextContents()).toEqual(
      counts(report1.confusionMatrix?.matrix),
    );
    expect(await page.getByTestId('confusion-b').locator('.cm-count').allTextContents()).toEqual(
      counts(report2.confusionMatrix?.matrix),
    );

    // Paired bars by the larger importance: the first is the top feature of either version.
    const top = [...report1.importances, ...report2.importances].sort(
      (x, y) => y.importance - x.importance,
    )[0];
    expect(await page.locator('.compare-bar-name').first().textContent()).toBe(top?.feature);

    expect(await page.getByTestId('dataset-a').textContent()).toContain('569 training rows');
    const columns = await cellTexts(page.locator('[data-testid=compare-columns] tbody tr'));
    const column = (name: string) => columns.find((row) => row[0]?.startsWith(name));
    expect(column('mean_fractal_dimension')?.[0]).toBe('mean_fractal_dimensionremoved in B');
    expect(column('mean_fractal_dimension')?.[5]).toBe('not in B’s data');
    expect(column('mean_radius')?.[6]).toMatch(/^mean fell \d\.\d\d SD/);
    expect(await page.getByTestId('compare-data-verdict').textContent()).toMatch(
      /^Different data: 0 columns added, 1 removed, \d+ with a large shift\.$/,
    );

    expect(await overflow(page)).toBe(0);
    await session.screenshot(page, 'version-compare', { fullPage: true });

    // A visit to another tab keeps the choice: back on Compare, v1 against v2 again, in the address too.
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.waitForURL((url) => !url.search.includes('b=2'));
    await page.getByRole('tab', { name: 'Compare versions' }).click();
    await page.waitForURL(/\?tab=compare&a=1&b=2$/);
    await expect.poll(async () => page.getByTestId('compare-side-b').textContent()).toMatch(/^Bv2/);
    await session.screenshot(
      page.locator('section[aria-labelledby=compare-data-heading]'),
      'version-compare-training-data',
    );
    await page.getByRole('heading', { name: 'ROC curves' }).scrollIntoViewIfNeeded();
    await session.screenshot(page.locator('.compare-grid'), 'version-compare-curves');
  });

  it('compares the two versions ticked in the versions table, swaps them, and keeps the choice on reload', async () => {
    const page = await session.newPage();
    await session.signIn(page, 'viewer', `/models/${COMPARED_MODEL}`);
    await page.getByRole('heading', { name: COMPARED_MODEL, level: 1 }).waitFor();
    await page.getByRole('checkbox', { name: 'Compare version 2' }).check();
    await page.getByRole('checkbox', { name: 'Compare version 1' }).check();
    await session.screenshot(page.locator('section.panel').first(), 'version-compare-ticked');
    await page.getByRole('button', { name: 'Compare v1 with v2' }).click();
    await page.waitForURL(/\?tab=compare&a=1&b=2$/);
    await page.getByTestId('confusion-b').locator('table').waitFor();
    expect(await page.getByRole('tab', { name: 'Compare versions' }).getAttribute('aria-selected')).toBe(
      'true',
    );

    await page.getByRole('button', { name: '⇄ Swap' }).click();
    await page.waitForURL(/[?&]a=2&b=1$/);
    await page.reload();
    await page.getByRole('heading', { name: 'Test metrics' }).waitFor();
    expect(await page.getByTestId('compare-side-a').textContent()).toMatch(/^Av2/);
    expect(await page.getByTestId('compare-side-b').textContent()).toMatch(/^Bv1production/);
    const v1 = await metricsOf(1);
    const v2 = await metricsOf(2);
    const delta = (v1.accuracy ?? 0) - (v2.accuracy ?? 0);
    expect((await metricRows(page)).Accuracy?.[2]).toContain(signed(formatNumber(Math.abs(delta)), delta));
    // Swapped, the dropped column is one B's data added.
    const columns = await cellTexts(page.locator('[data-testid=compare-columns] tbody tr'));
    expect(columns.find((row) => row[0]?.startsWith('mean_fractal_dimension'))?.[0]).toBe(
      'mean_fractal_dimensionadded in B',
    );
    expect(await overflow(page)).toBe(0);
  });

  it('compares regression versions by their errors and residuals', async () => {
    const page = await session.newPage();
    await session.signIn(page, 'viewer', `/models/${COMPARED_REGRESSION}?tab=compare`);
    await page.getByRole('heading', { name: 'Residuals' }).waitFor();
    expect(await page.getByRole('heading', { name: 'ROC curves' }).count()).toBe(0);
    const [v1, v2] = [await metricsOf(1, COMPARED_REGRESSION), await metricsOf(2, COMPARED_REGRESSION)];
    const rows = await metricRows(page);
    expect(rows.RMSE?.slice(0, 2)).toEqual([formatNumber(v1.rmse), formatNumber(v2.rmse)]);
    expect(rows.RMSE?.[3]).toBe((v2.rmse ?? 0) < (v1.rmse ?? 0) ? 'v2' : 'v1');
    expect(rows['R²']?.[3]).toBe((v2.r2 ?? 0) > (v1.r2 ?? 0) ? 'v2' : 'v1');
    const report = await keptReport(session.fixture, 2, COMPARED_REGRESSION);
    const largest = Math.max(...(report.residuals ?? []).map((row) => Math.abs(row.residual)));
    const residualRows = await cellTexts(page.locator('[data-testid=compare-residuals] tbody tr'));
    expect(residualRows.find((row) => row[0] === 'Largest absolute residual')?.[2]).toBe(
      formatNumber(largest),
    );
    expect(await page.getByTestId('compare-data-verdict').textContent()).toBe(
      'Both versions were trained on the same data (same checksum).',
    );
    expect(await overflow(page)).toBe(0);
    await session.screenshot(page, 'version-compare-regression', { fullPage: true });
  });
});
