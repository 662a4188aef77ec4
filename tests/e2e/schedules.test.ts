/**
 * Schedules in Chromium against the production app, real PostgreSQL and a real Temporal server. The
 * issue's journey: an operator creates a schedule every 10 seconds in the editor's Schedules panel,
 * sees its next five run times, watches scheduled runs arrive on the Runs page (which follows run
 * changes live) and compares two of them. Then the Schedules page lists it with its last run; a
 * pause with a note shows as a badge; a backfill shows its progress; a viewer sees it read-only.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { localInputValue } from '../../app/_schedules/format';
import { schedules } from '../../db/schema';
import { cellTexts, launchBrowser, watchPageErrors } from '../support/browser';
import { setUpE2eSession } from '../support/e2e-session';
import { pipelineDoc } from '../support/pipeline-doc';
import { savePipeline } from '../support/pipelines';
import { deleteSchedulesAfterAll } from '../support/schedule-cleanup';

let pipelineId = '';
const session = setUpE2eSession({
  accounts: { operator: 'olga@schedules.test', viewer: 'vic@schedules.test' },
  async before(fixture) {
    // One quick step (a bundled sample), so each scheduled run ends in seconds.
    const doc = pipelineDoc(
      [{ id: 'ingest', type: 'ingest', config: { source: 'sample', sample: 'iris' } }],
      [],
      [{ name: 'cutoff', type: 'string', default: '2026-01-01', description: 'Train on data up to' }],
    );
    pipelineId = (await savePipeline(fixture.database.db, doc, 'Iris nightly')).pipeline.id;
  },
});
deleteSchedulesAfterAll(session.fixture);
const INTERVAL = 10_000;

/** A list of next runs as the page shows it: each time's instant (its datetime attribute) and text. */
async function nextRuns(list: Locator): Promise<{ at: number; text: string }[]> {
  await list.locator('time').first().waitFor();
  return list.locator('time').evaluateAll((times) =>
    times.map((time) => ({
      at: new Date(time.getAttribute('datetime') ?? '').getTime(),
      text: time.textContent ?? '',
    })),
  );
}

/** Opens the editor's Schedules panel (the page shows the pipeline in the editor) and returns it. */
async function openSchedulesPanel(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Schedules' }).click();
  return page.getByRole('complementary', { name: 'Schedules' });
}

/** The run ids these rows link to (a row's status badge opens its run). */
function linkedRunIds(rows: Locator): Promise<string[]> {
  return rows
    .locator('a.run-badge')
    .evaluateAll((links) =>
      links.map((link) => new URL(link.getAttribute('href') ?? '', 'http://x').searchParams.get('run') ?? ''),
    );
}

/** The pipeline's runs as PostgreSQL holds them. */
function storedRuns() {
  return session.fixture.database.sql<
    { id: string; trigger: string; schedule_id: string | null; parameters: Record<string, unknown> }[]
  >`select id, trigger, schedule_id, parameters from runs where pipeline_id = ${pipelineId}`;
}

describe('Schedules', () => {
  it('creates a schedule in the editor, shows its next runs, and watches two scheduled runs arrive on the Runs page to compare them', async () => {
    const page = await session.newPage();
    await session.signIn(page, 'operator', `/pipelines/${pipelineId}`);
    const panel = await openSchedulesPanel(page);
    await panel.getByText('No schedules yet.').waitFor();
    await panel.getByRole('button', { name: 'New schedule' }).click();

    const dialog = page.getByRole('dialog', { name: 'New schedule' });
    await dialog.getByText('Every …').click();
    await dialog.getByLabel('Every how many').fill('10');
    await dialog.getByLabel('Unit').selectOption('s');
    await dialog.getByLabel('cutoff').fill('2026-06-30');
    await session.screenshot(page, 'schedule-new');
    const createdAfter = Date.now();
    await dialog.getByRole('button', { name: 'Create schedule' }).click();

    // The next five runs: 10 seconds apart on whole tens of seconds, the first within 10 s of creation.
    const saved = page.getByRole('dialog', { name: 'Every 10 seconds' });
    await saved.getByText('Next five runs').waitFor();
    const shown = await nextRuns(saved.getByRole('list', { name: 'Next runs' }));
    const times = shown.map((run) => run.at);
    expect(times).toHaveLength(5);
    expect(times.slice(1).map((time, index) => time - (times[index] ?? 0))).toEqual([
      INTERVAL,
      INTERVAL,
      INTERVAL,
      INTERVAL,
    ]);
    expect(times.map((time) => time % INTERVAL)).toEqual([0, 0, 0, 0, 0]);
    expect(times[0]).toBeGreaterThan(createdAfter);
    expect(times[0]).toBeLessThanOrEqual(Date.now() + INTERVAL);
    // Written to the second, as people read them: each text ends in its own time's seconds.
    expect(shown.map((run) => run.text.match(/:(\d\d)\b(?!:)/)?.[1])).toEqual(
      times.map((time) => String(new Date(time).getSeconds()).padStart(2, '0')),
    );
    await session.screenshot(page, 'schedule-created');
    await saved.getByRole('button', { name: 'Done' }).click();

    const card = panel.getByTestId('schedule-card');
    await card.getByText('Every 10 seconds').waitFor();
    const [schedule] = await session.fixture.database.db.select().from(schedules);
    expect(schedule).toMatchObject({ pipelineId, parameters: { cutoff: '2026-06-30' }, overlap: 'skip' });
    expect(schedule?.timing).toEqual({ kind: 'every', amount: 10, unit: 's' });
    await card.getByText('Next five').click();
    await session.screenshot(page, 'schedules-panel');

    // Out of the editor to the Runs page, which follows run changes live: the schedule's runs
    // appear, then finish, without a reload.
    await page.getByRole('link', { name: '← Pipelines' }).click();
    await page.waitForURL(`${session.app.url}/`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Runs' }).click();
    await page.waitForURL(`${session.app.url}/runs`);
    const scheduled = page
      .locator('.runs-table tbody tr', { hasText: 'Iris nightly' })
      .filter({ has: page.locator('.run-trigger', { hasText: /^Schedule$/ }) });
    await scheduled.first().waitFor({ timeout: 60_000 });
    const finished = scheduled.filter({ has: page.locator('.run-badge', { hasText: /^succeeded$/ }) });
    await expect.poll(() => finished.count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
    for (const row of await cellTexts(finished)) {
      expect(row.slice(0, 4)).toEqual(['succeeded', 'Iris nightly', 'v1', 'Schedule']);
    }
    await session.screenshot(page, 'schedules-runs-page');
    // Read before the runs, which keep coming: every run shown is stored, started by the schedule.
    const [newest] = await linkedRunIds(finished);
    const stored = await storedRuns();
    expect(stored.map((run) => run.id)).toContain(newest);
    for (const run of stored) {
      expect(run).toMatchObject({ trigger: 'schedule', schedule_id: schedule?.id });
      expect(run.parameters).toMatchObject({ cutoff: '2026-06-30' });
      expect(typeof run.parameters.$scheduledTime).toBe('string');
    }

    // From a run to its pipeline's history, where the two newest finished runs are ticked and compared.
    await page.locator(`.runs-pipeline a[href$="run=${newest}"]`).click();
    await page.waitForURL(`${session.app.url}/pipelines/${pipelineId}?run=${newest}`);
    await page.getByRole('link', { name: 'History', exact: true }).click();
    await page.waitForURL(`${session.app.url}/pipelines/${pipelineId}/runs`);
    const done = page
      .locator('.run-table tbody tr')
      .filter({ has: page.locator('.run-badge', { hasText: /^succeeded$/ }) });
    await done.nth(1).waitFor();
    const picked = (await linkedRunIds(done)).slice(0, 2);
    for (const id of picked) {
      await done
        .filter({ has: page.locator(`a.run-badge[href$="run=${id}"]`) })
        .getByRole('checkbox')
        .check();
    }
    const compareButton = page.getByRole('button', { name: /^Compare \(/ });
    expect(await compareButton.textContent()).toBe('Compare (2)');
    await compareButton.click();
    await page.waitForURL(`${session.app.url}/runs/compare?ids=${picked.join(',')}`);
    await page.locator('.compare-table').waitFor();

    // One column per run, in the order ticked, each naming its run.
    expect(
      await page
        .locator('.compare-table thead .compare-run-when')
        .evaluateAll((cells) => cells.map((cell) => cell.getAttribute('title'))),
    ).toEqual(picked);
    const rows = await cellTexts(
      page.locator('.compare-table tbody tr').filter({ has: page.locator('th[scope=row]') }),
    );
    expect(rows).toContainEqual(['Pipeline', 'Iris nightly', 'Iris nightly']);
    expect(rows).toContainEqual(['Version', 'v1', 'v1']);
    expect(rows).toContainEqual(['Trigger', 'schedule', 'schedule']);
    expect(rows).toContainEqual(['cutoff', '2026-06-30', '2026-06-30']);
    expect(rows).toContainEqual(['ingest status', 'succeeded', 'succeeded']);
    // Each run's scheduled time, as stored: the newer first, a whole number of intervals after the older.
    const comparedRuns = await storedRuns();
    const scheduledTimes = picked.map(
      (id) => comparedRuns.find((run) => run.id === id)?.parameters.$scheduledTime,
    );
    expect(rows).toContainEqual(['$scheduledTime', ...scheduledTimes]);
    const [newer, older] = scheduledTimes.map((time) => new Date(String(time)).getTime());
    expect((newer ?? 0) - (older ?? 0)).toBeGreaterThan(0);
    expect(((newer ?? 0) - (older ?? 0)) % INTERVAL).toBe(0);
    await session.screenshot(page, 'scheduled-runs-compared', { fullPage: true });
  }, 180_000);

  it('lists the schedule on the Schedules page with its last run', async () => {
    const page = await session.newPage();
    await page.goto(`${session.app.url}/runs`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Schedules' }).click();
    await page.waitForURL(`${session.app.url}/schedules`);
    const listed = page.getByTestId('schedule-row');
    await listed.getByText('Iris nightly').waitFor();
    await listed.getByText('Every 10 seconds').waitFor();
    await listed.getByText('Active').waitFor();
    // Its last run, with a status badge linking to the run.
    await listed.locator('.run-badge').waitFor();
    await session.screenshot(page, 'schedules-page');
  });

  it('pauses with a note, shown as a badge on the panel and the Schedules page', async () => {
    const page = await session.newPage();
    await page.goto(`${session.app.url}/pipelines/${pipelineId}`);
    const card = (await openSchedulesPanel(page)).getByTestId('schedule-card');
    await card.getByRole('button', { name: 'Pause' }).click();
    await card.getByLabel('Why pause it? (optional)').fill('Source under maintenance');
    await card.getByRole('button', { name: 'Pause' }).click();
    await card.getByText('Paused', { exact: true }).waitFor();
    await card.getByText('None while paused').waitFor();
    const [row] = await session.fixture.database.db.select().from(schedules);
    expect(row).toMatchObject({ paused: true, note: 'Source under maintenance' });

    await page.goto(`${session.app.url}/schedules`);
    await page.getByTestId('schedule-row').getByText('Paused', { exact: true }).waitFor();
    await session.screenshot(page, 'schedules-page-paused');
  }, 60_000);

  it('backfills a past range from the panel and shows its progress to the end', async () => {
    const page = await session.newPage();
    await page.goto(`${session.app.url}/pipelines/${pipelineId}`);
    const card = (await openSchedulesPanel(page)).getByTestId('schedule-card');
    await card.getByRole('button', { name: 'Backfill' }).click();
    // A minute before the schedule existed: every 10 seconds, its ends included, is 7 runs.
    const minute = 60_000;
    const from = new Date(Math.floor(Date.now() / minute) * minute - 10 * minute);
    await card.getByLabel('From').fill(localInputValue(from));
    await card.getByLabel('To').fill(localInputValue(new Date(from.getTime() + minute)));
    await card.getByRole('button', { name: 'Backfill' }).click();
    await card.getByText(/of 7 finished/).waitFor();
    await session.screenshot(page, 'schedules-backfill');
    await card.getByText('Done: 7 of 7 finished').waitFor({ timeout: 60_000 });
    const backfilled = await session.fixture.database.sql<{ count: number }[]>`
      select count(*)::int as count from runs
      where pipeline_id = ${pipelineId} and parameters->>'$scheduledTime' between ${from.toISOString()}
        and ${new Date(from.getTime() + minute).toISOString()}`;
    expect(backfilled[0]?.count).toBe(7);
  }, 90_000);

  it('shows a viewer the schedules read-only', async () => {
    // A browser of its own: the operator's session cookie stays in the first one.
    const viewerBrowser = await launchBrowser();
    const page = await viewerBrowser.context.newPage();
    const errors = watchPageErrors(page);
    await session.signIn(page, 'viewer', `/pipelines/${pipelineId}`);
    const panel = await openSchedulesPanel(page);
    await panel.getByTestId('schedule-card').getByText('Every 10 seconds').waitFor();
    expect(await panel.getByRole('button', { name: 'New schedule' }).isDisabled()).toBe(true);
    await panel.getByText('you may not manage schedules').waitFor();
    for (const action of ['Resume', 'Run now', 'Backfill', 'Edit', 'Delete']) {
      expect(await panel.getByRole('button', { name: action }).count()).toBe(0);
    }
    await session.screenshot(page, 'schedules-panel-viewer');
    expect(errors).toEqual([]);
    await viewerBrowser.close();
  }, 60_000);
});
