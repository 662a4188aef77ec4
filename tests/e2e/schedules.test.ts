/**
 * Schedules in Chromium against the production app and a real Temporal server: an operator creates
 * a schedule every 10 seconds in the editor's Schedules panel, sees its next run times, and watches
 * a scheduled run arrive on the Runs page (which follows run changes live); the Schedules page lists
 * it with its last run; a pause with a note shows as a badge; a viewer sees the panel read-only.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localInputValue } from '../../app/_schedules/format';
import { schedules } from '../../db/schema';
import type { RunningApp } from '../../runtime/launcher/web-app';
import { temporalScheduleId } from '../../workflows/schedules/temporal-schedule';
import { accountsAuth, createAccount } from '../support/accounts';
import { type Browser, launchBrowser, watchPageErrors } from '../support/browser';
import { setUpDatabaseAndWorker } from '../support/fixture';
import { pipelineDoc } from '../support/pipeline-doc';
import { savePipeline } from '../support/pipelines';
import { startWebApp } from '../support/web-app';

const fixture = setUpDatabaseAndWorker();
const screenshots = path.resolve(import.meta.dirname, '..', '..', '.data', 'e2e-screenshots');
const PASSWORD = 'a long enough password';
let app: RunningApp;
let browser: Browser;
let pipelineId = '';

beforeAll(async () => {
  const auth = accountsAuth(fixture.database.db);
  await createAccount(auth, 'operator', { email: 'olga@schedules.test', password: PASSWORD });
  await createAccount(auth, 'viewer', { email: 'vic@schedules.test', password: PASSWORD });
  // One quick step (a bundled sample), so each scheduled run ends in seconds.
  const doc = pipelineDoc(
    [{ id: 'ingest', type: 'ingest', config: { source: 'sample', sample: 'iris' } }],
    [],
    [{ name: 'cutoff', type: 'string', default: '2026-01-01', description: 'Train on data up to' }],
  );
  pipelineId = (await savePipeline(fixture.database.db, doc, 'Iris nightly')).pipeline.id;
  app = await startWebApp(fixture);
  browser = await launchBrowser();
  mkdirSync(screenshots, { recursive: true });
}, 600_000);

afterAll(async () => {
  // Schedules outlive the test in the shared Temporal server unless deleted.
  const rows = await fixture.database.db.select({ id: schedules.id }).from(schedules);
  for (const row of rows)
    await fixture.worker.client.schedule
      .getHandle(temporalScheduleId(row.id))
      .delete()
      .catch(() => {});
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

/** The times of a list of next runs, as the page wrote them (the datetime attributes). */
async function nextRunTimes(page: Page, scope: string): Promise<number[]> {
  const list = page.locator(scope).getByRole('list', { name: 'Next runs' });
  await list.locator('time').first().waitFor();
  const stamps = await list
    .locator('time')
    .evaluateAll((times) => times.map((time) => time.getAttribute('datetime') ?? ''));
  return stamps.map((stamp) => new Date(stamp).getTime());
}

describe('Schedules', () => {
  it('creates a schedule every 10 seconds in the editor and shows its next five run times', async () => {
    const page = await browser.context.newPage();
    const errors = watchPageErrors(page);
    await signIn(page, 'olga@schedules.test', `/pipelines/${pipelineId}`);
    await page.getByRole('button', { name: 'Schedules' }).click();
    const panel = page.getByRole('complementary', { name: 'Schedules' });
    await panel.getByText('No schedules yet.').waitFor();
    await panel.getByRole('button', { name: 'New schedule' }).click();

    const dialog = page.getByRole('dialog', { name: 'New schedule' });
    await dialog.getByText('Every …').click();
    await dialog.getByLabel('Every how many').fill('10');
    await dialog.getByLabel('Unit').selectOption('s');
    await dialog.getByLabel('cutoff').fill('2026-06-30');
    await page.screenshot({ path: path.join(screenshots, 'schedule-new.png') });
    await dialog.getByRole('button', { name: 'Create schedule' }).click();

    const saved = page.getByRole('dialog', { name: 'Every 10 seconds' });
    await saved.getByText('Next five runs').waitFor();
    const times = await nextRunTimes(page, '[role=dialog]');
    expect(times).toHaveLength(5);
    expect(times.slice(1).map((time, index) => time - (times[index] ?? 0))).toEqual([
      10_000, 10_000, 10_000, 10_000,
    ]);
    expect(times[0] ?? 0).toBeGreaterThan(Date.now() - 10_000);
    await page.screenshot({ path: path.join(screenshots, 'schedule-created.png') });
    await saved.getByRole('button', { name: 'Done' }).click();

    const card = panel.getByTestId('schedule-card');
    await card.getByText('Every 10 seconds').waitFor();
    const [row] = await fixture.database.db.select().from(schedules);
    expect(row).toMatchObject({ pipelineId, parameters: { cutoff: '2026-06-30' }, overlap: 'skip' });
    expect(row?.timing).toEqual({ kind: 'every', amount: 10, unit: 's' });
    await card.getByText('Next five').click();
    await page.screenshot({ path: path.join(screenshots, 'schedules-panel.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('watches a scheduled run arrive on the Runs page, then lists it on the Schedules page', async () => {
    const page = await browser.context.newPage();
    const errors = watchPageErrors(page);
    await page.goto(`${app.url}/runs`);
    await page.getByRole('heading', { name: 'Runs', exact: true }).waitFor();
    // The Runs page follows run changes live: the schedule's first run appears without a reload.
    const scheduled = page.locator('.runs-table tbody tr', { hasText: 'Iris nightly' }).filter({
      hasText: 'Schedule',
    });
    await scheduled.first().waitFor({ timeout: 60_000 });
    const runs = await fixture.database.sql<{ trigger: string; parameters: Record<string, unknown> }[]>`
      select trigger, parameters from runs where pipeline_id = ${pipelineId}`;
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) {
      expect(run.trigger).toBe('schedule');
      expect(run.parameters).toMatchObject({ cutoff: '2026-06-30' });
      expect(typeof run.parameters.$scheduledTime).toBe('string');
    }
    await page.screenshot({ path: path.join(screenshots, 'schedules-runs-page.png') });

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Schedules' }).click();
    await page.waitForURL(`${app.url}/schedules`);
    const listed = page.getByTestId('schedule-row');
    await listed.getByText('Iris nightly').waitFor();
    await listed.getByText('Every 10 seconds').waitFor();
    await listed.getByText('Active').waitFor();
    // Its last run, with a status badge linking to the run.
    await listed.locator('.run-badge').waitFor();
    await page.screenshot({ path: path.join(screenshots, 'schedules-page.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('pauses with a note, shown as a badge on the panel and the Schedules page', async () => {
    const page = await browser.context.newPage();
    const errors = watchPageErrors(page);
    await page.goto(`${app.url}/pipelines/${pipelineId}`);
    await page.getByRole('button', { name: 'Schedules' }).click();
    const card = page.getByRole('complementary', { name: 'Schedules' }).getByTestId('schedule-card');
    await card.getByRole('button', { name: 'Pause' }).click();
    await card.getByLabel('Why pause it? (optional)').fill('Source under maintenance');
    await card.getByRole('button', { name: 'Pause' }).click();
    await card.getByText('Paused', { exact: true }).waitFor();
    await card.getByText('None while paused').waitFor();
    const [row] = await fixture.database.db.select().from(schedules);
    expect(row).toMatchObject({ paused: true, note: 'Source under maintenance' });

    await page.goto(`${app.url}/schedules`);
    await page.getByTestId('schedule-row').getByText('Paused', { exact: true }).waitFor();
    await page.screenshot({ path: path.join(screenshots, 'schedules-page-paused.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('backfills a past range from the panel and shows its progress to the end', async () => {
    const page = await browser.context.newPage();
    const errors = watchPageErrors(page);
    await page.goto(`${app.url}/pipelines/${pipelineId}`);
    await page.getByRole('button', { name: 'Schedules' }).click();
    const card = page.getByRole('complementary', { name: 'Schedules' }).getByTestId('schedule-card');
    await card.getByRole('button', { name: 'Backfill' }).click();
    // A minute before the schedule existed: every 10 seconds, its ends included, is 7 runs.
    const minute = 60_000;
    const from = new Date(Math.floor(Date.now() / minute) * minute - 10 * minute);
    await card.getByLabel('From').fill(localInputValue(from));
    await card.getByLabel('To').fill(localInputValue(new Date(from.getTime() + minute)));
    await card.getByRole('button', { name: 'Backfill' }).click();
    await card.getByText(/of 7 finished/).waitFor();
    await page.screenshot({ path: path.join(screenshots, 'schedules-backfill.png') });
    await card.getByText('Done: 7 of 7 finished').waitFor({ timeout: 60_000 });
    const backfilled = await fixture.database.sql<{ count: number }[]>`
      select count(*)::int as count from runs
      where pipeline_id = ${pipelineId} and parameters->>'$scheduledTime' between ${from.toISOString()}
        and ${new Date(from.getTime() + minute).toISOString()}`;
    expect(backfilled[0]?.count).toBe(7);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  it('shows a viewer the schedules read-only', async () => {
    // A browser of its own: the operator's session cookie stays in the first one.
    const viewerBrowser = await launchBrowser();
    const page = await viewerBrowser.context.newPage();
    const errors = watchPageErrors(page);
    await signIn(page, 'vic@schedules.test', `/pipelines/${pipelineId}`);
    await page.getByRole('button', { name: 'Schedules' }).click();
    const panel = page.getByRole('complementary', { name: 'Schedules' });
    await panel.getByTestId('schedule-card').getByText('Every 10 seconds').waitFor();
    expect(await panel.getByRole('button', { name: 'New schedule' }).isDisabled()).toBe(true);
    await panel.getByText('you may not manage schedules').waitFor();
    for (const action of ['Resume', 'Run now', 'Backfill', 'Edit', 'Delete']) {
      expect(await panel.getByRole('button', { name: action }).count()).toBe(0);
    }
    await page.screenshot({ path: path.join(screenshots, 'schedules-panel-viewer.png') });
    expect(errors).toEqual([]);
    await viewerBrowser.close();
  }, 60_000);
});
