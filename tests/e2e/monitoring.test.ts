/**
 * A model's Monitoring tab in Chromium against the production app, over a seeded history (twelve
 * daily checks, tenure drifting from the eighth day, accuracy on feedback falling below its
 * threshold, the tenure alert linked to the retraining run it started): the navigation's badge and
 * the Models list's mark, the deep link ?tab=monitoring, the heat map's cell states, the feature
 * chart following the heat map, the alert rows and their retraining-run link; and the empty state
 * of a model nothing watches yet.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { setUpE2eSession } from '../support/e2e-session';
import { seedModel } from '../support/models';
import { type SeededMonitoring, seedMonitoring } from '../support/monitoring-seed';

let seeded: SeededMonitoring;
const session = setUpE2eSession({
  accounts: { viewer: 'vic@monitoring.test' },
  async before(fixture) {
    const churn = await seedModel(
      fixture.database.sql,
      'churn',
      [{ metrics: { accuracy: 0.89, f1: 0.81 } }],
      { description: 'Which customers leave next month' },
    );
    await seedModel(fixture.database.sql, 'house-price', [{ metrics: { r2: 0.72, rmse: 31_200 } }]);
    seeded = await seedMonitoring(fixture.database.db, { modelId: churn.id, version: 1, now: new Date() });
  },
});

/** The states of a feature's heat map row, oldest check first. */
async function rowStates(page: Page, feature: string): Promise<string[]> {
  return page
    .locator(`.heatmap tbody tr[data-feature="${feature}"] td`)
    .evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-state') ?? ''));
}

describe('Monitoring tab', () => {
  it('counts open alerts in the navigation and marks the model in the Models list', async () => {
    const page = await session.newPage();
    await session.signIn(page, 'viewer', '/models');
    const nav = page.getByRole('navigation', { name: 'Main' });
    const models = nav.getByRole('link', { name: 'Models 3 open model alerts' });
    await models.waitFor();
    expect(await page.getByTestId('model-alerts-badge').locator('[aria-hidden="true"]').textContent()).toBe(
      '3',
    );
    const mark = page.locator('.models-table tbody tr', { hasText: 'churn' }).locator('.model-alert-mark');
    expect(await mark.textContent()).toBe('3 open alerts');
    expect(await mark.getAttribute('href')).toBe('/models/churn?tab=monitoring');
    await session.screenshot(page, 'models-list-alerts');
    expect(
      await page
        .locator('.models-table tbody tr', { hasText: 'house-price' })
        .locator('.model-alert-mark')
        .count(),
    ).toBe(0);
  });

  it('opens on ?tab=monitoring with the state, the heat map, the charts and the alerts', async () => {
    const page = await session.newPage();
    await session.signIn(page, 'viewer', '/models/churn?tab=monitoring');
    const tab = page.getByRole('tab', { name: 'Monitoring, 3 open alerts' });
    await tab.waitFor();
    expect(await tab.getAttribute('aria-selected')).toBe('true');
    await page.getByRole('heading', { name: 'Drift per feature' }).waitFor();

    // The latest check: inputs in warning (one feature of four in alert), version 1, 3 open alerts.
    expect(await page.getByTestId('current-state').textContent()).toBe('Warning');
    expect(await page.getByTestId('current-performance').textContent()).toBe('Accuracy 0.809');
    expect(await page.getByTestId('open-alerts').textContent()).toBe('3');

    const ok = (count: number) => Array.from({ length: count }, () => 'ok');
    expect(await rowStates(page, 'tenure')).toEqual([...ok(7), 'warn', 'alert', 'alert', 'alert', 'alert']);
    expect(await rowStates(page, 'support_calls')).toEqual([...ok(10), 'warn', 'ok']);
    expect(await rowStates(page, 'plan')).toEqual(ok(12));
    const lastTenure = page.locator('.heatmap tbody tr[data-feature="tenure"] td').last();
    expect(await lastTenure.getAttribute('aria-label')).toMatch(/^tenure, .+: Alert, PSI 0\.341$/);

    // The chart starts on the worst feature and follows the heat map's choice.
    await page.getByRole('heading', { name: 'PSI of tenure over time' }).waitFor();
    await page.getByRole('button', { name: 'support_calls' }).click();
    await page.getByRole('heading', { name: 'PSI of support_calls over time' }).waitFor();
    await page.getByRole('button', { name: 'tenure' }).click();
    await page.getByRole('heading', { name: 'Accuracy on feedback' }).waitFor();
    expect(await page.locator('.chart-latest').textContent()).toContain('0.809 on 96 labelled');

    // Per slice: the evaluate step's slices, each with its own labelled count, measured but not judged.
    const scope = page.locator('.performance-scope select');
    expect(await scope.locator('option').allTextContents()).toEqual([
      'All with feedback',
      'Slice: Annual plan',
      'Slice: Tenure under 6 months',
    ]);
    await scope.selectOption({ label: 'Slice: Tenure under 6 months' });
    await page.getByRole('heading', { name: 'Accuracy on feedback · Tenure under 6 months' }).waitFor();
    const sliceLatest = page.locator('.chart-latest');
    expect(await sliceLatest.textContent()).toBe('latest 0.719 on 19 labelled');
    expect(await sliceLatest.locator('.state-pill').count()).toBe(0);
    await page.getByRole('heading', { name: 'Performance on feedback' }).scrollIntoViewIfNeeded();
    await session.screenshot(page, 'model-monitoring-slice');
    await scope.selectOption({ label: 'All with feedback' });
    await page.getByRole('heading', { name: 'Accuracy on feedback', exact: true }).waitFor();

    // Alerts: open first, the tenure alert linked to its retraining run, the closed one last.
    const rows = page.locator('.alerts-table tbody tr');
    expect(await rows.evaluateAll((each) => each.map((row) => row.getAttribute('data-subject')))).toEqual([
      'accuracy',
      expect.stringMatching(/^(dataset|tenure)$/),
      expect.stringMatching(/^(dataset|tenure)$/),
      'support_calls',
    ]);
    const tenure = page.locator('.alerts-table tbody tr[data-subject="tenure"]');
    expect(await tenure.locator('.state-pill').textContent()).toBe('Alert');
    const run = tenure.getByRole('link', { name: /Retrain churn · run/ });
    expect(await run.getAttribute('href')).toBe(
      `/pipelines/${seeded.retrainPipelineId}?run=${seeded.retrainRunId}`,
    );
    expect(await tenure.locator('.run-badge').textContent()).toBe('succeeded');
    expect(await tenure.getByRole('link', { name: 'Monitor churn daily' }).getAttribute('href')).toMatch(
      new RegExp(`^/pipelines/${seeded.monitorPipelineId}\\?run=`),
    );
    expect(
      await page.locator('.alerts-table tbody tr[data-subject="support_calls"] .state-pill').textContent(),
    ).toBe('Closed (warning)');
    await page.mouse.move(0, 0);
    await session.screenshot(page, 'model-monitoring', { fullPage: true });

    // The tab is in the address: Overview drops it, Monitoring puts it back.
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.getByRole('heading', { name: 'Versions' }).waitFor();
    expect(new URL(page.url()).search).toBe('');
    await tab.click();
    expect(new URL(page.url()).search).toBe('?tab=monitoring');
  });

  it('says how to add a monitor while nothing watches the model', async () => {
    const page = await session.newPage();
    await session.signIn(page, 'viewer', '/models/house-price?tab=monitoring');
    await page.getByRole('heading', { name: 'No monitoring checks yet' }).waitFor();
    expect(await page.locator('.empty-state').textContent()).toContain('drag Monitor drift');
    expect(await page.getByRole('tab', { name: 'Monitoring' }).textContent()).toBe('Monitoring');
    await session.screenshot(page, 'model-monitoring-empty');
  });
});
