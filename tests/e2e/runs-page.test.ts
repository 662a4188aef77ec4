/**
 * The Runs page across pipelines in Chromium against the production app: the empty state, then over
 * 600 seeded runs of three pipelines the table newest first, virtualised (only the rows in view are
 * in the page) and paged as it scrolls to the end, the filters, the "no match" state, and a row
 * opening its run on the canvas.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createPipeline } from '../../db/queries/pipelines';
import { setRunStatus } from '../../db/queries/run-state';
import { cellTexts } from '../support/browser';
import { setUpE2eSession } from '../support/e2e-session';
import { pipelineDoc } from '../support/pipeline-doc';

const session = setUpE2eSession({ accounts: { viewer: 'vic@runs.test' } });
const { fixture } = session;
const RUNS = 600;

/**
 * Three pipelines and RUNS runs, one a minute back from now: statuses, triggers and metrics cycle, so
 * every filter has matches. The main metric is written as the run's evaluate step would store it.
 */
async function seedRuns(): Promise<void> {
  const graph = pipelineDoc(
    [
      { id: 'train', type: 'train' },
      { id: 'check', type: 'evaluate' },
    ],
    ['train.model->check.model'],
  );
  const created = [];
  for (const name of ['Churn retraining', 'Fraud scoring', 'House prices']) {
    created.push(await createPipeline(fixture.database.db, { name, graph }));
  }
  const versionIds = created.map((each) => each.version.id);
  await fixture.database.sql`
    insert into runs (pipeline_id, pipeline_version_id, workflow_id, trigger, status, started_at,
      finished_at, main_metric_name, main_metric_value)
    select v.pipeline_id, v.id, 'page-' || i,
      (array['schedule', 'manual', 'schedule', 'api'])[1 + i % 4],
      (array['succeeded', 'succeeded', 'failed', 'succeeded', 'cancelled', 'running'])[1 + i % 6],
      now() - make_interval(mins => i),
      case when i % 6 <> 5 then now() - make_interval(mins => i) + make_interval(secs => 30 + i % 90) end,
      case when i % 6 in (0, 1, 3) then case when v.version_rank = 3 then 'r2' else 'accuracy' end end,
      case when i % 6 in (0, 1, 3) then 0.6 + (i % 40) / 100.0 end
    from generate_series(0, ${RUNS - 1}) as i
      join (select id, pipeline_id, array_position(${versionIds}::uuid[], id) as version_rank
        from pipeline_versions where id = any(${versionIds}::uuid[])) v
        on v.version_rank = 1 + i % 5 % 3`;
}

/** The run ids of the rows in the page, in order (each row's links open its run). */
function renderedRunIds(page: Page): Promise<string[]> {
  return page
    .locator('.runs-table tbody tr td:first-child a')
    .evaluateAll((links) =>
      links.map((link) => new URL(link.getAttribute('href') ?? '', 'http://x').searchParams.get('run') ?? ''),
    );
}

/** The cells of the rows in the page. */
function renderedRows(page: Page): Promise<string[][]> {
  return cellTexts(page.locator('.runs-table tbody tr:not(.runs-spacer):not(.runs-more-row)'));
}

describe('Runs page', () => {
  it('says how runs get here while there is none', async () => {
    const page = await session.newPage();
    await session.signIn(page, 'viewer', '/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Runs' }).click();
    await page.waitForURL(`${session.app.url}/runs`);
    await page.getByRole('heading', { name: 'No runs yet' }).waitFor();
    await session.screenshot(page, 'runs-empty');
    await seedRuns();
  });

  it('lists runs newest first, draws only the rows in view, and loads pages to the end as it scrolls', async () => {
    const page = await session.newPage();
    await page.goto(`${session.app.url}/runs`);
    await page.locator('.runs-table tbody tr td a').first().waitFor();
    const newest = await fixture.database.sql<{ id: string }[]>`
      select id from runs order by started_at desc, id desc limit 5`;
    expect((await renderedRunIds(page)).slice(0, 5)).toEqual(newest.map((row) => row.id));
    const [first] = await renderedRows(page);
    expect(first?.slice(0, 4)).toEqual(['succeeded', 'Churn retraining', 'v1', 'Schedule']);
    expect(first?.[6]).toBe('0.6 Accuracy');
    await session.screenshot(page, 'runs-page');

    // Virtualised: a page of 100 is loaded, far fewer rows are drawn.
    await page.getByText('100 runs loaded; scroll for more').waitFor();
    expect((await renderedRunIds(page)).length).toBeLessThan(40);
    // Scrolling to the end, again and again, loads every page; each run is drawn once, in order.
    const all = (
      await fixture.database.sql<{ id: string }[]>`select id from runs order by started_at desc, id desc`
    ).map((row) => row.id);
    const seen: string[] = [];
    for (let round = 0; round < 80 && seen.at(-1) !== all.at(-1); round++) {
      const drawn = await renderedRunIds(page);
      for (const id of drawn) if (!seen.includes(id)) seen.push(id);
      if (seen.at(-1) === all.at(-1)) break;
      await page.locator('.runs-scroll').evaluate((box) => box.scrollBy(0, box.clientHeight));
      // The next rows are drawn: from the loaded ones, or once the next page arrives.
      await page.waitForFunction((last) => {
        const links = document.querySelectorAll('.runs-table tbody tr td:first-child a');
        return links[links.length - 1]?.getAttribute('href')?.endsWith(`run=${last}`) === false;
      }, drawn.at(-1) ?? '');
    }
    await page.getByText(`${RUNS} runs`, { exact: true }).waitFor();
    expect(seen).toEqual(all);
  });

  it('filters by pipeline, status, trigger and main metric, and says when nothing matches', async () => {
    const page = await session.newPage();
    await page.goto(`${session.app.url}/runs`);
    await page.locator('.runs-table tbody tr td a').first().waitFor();
    await page
      .getByRole('combobox', { name: 'Pipeline', exact: true })
      .selectOption({ label: 'Fraud scoring' });
    await page.getByRole('combobox', { name: 'Status', exact: true }).selectOption('succeeded');
    await page.getByRole('combobox', { name: 'Main metric comparison', exact: true }).selectOption('above');
    await page.getByRole('spinbutton', { name: 'Main metric threshold' }).fill('0.9');
    const expected = (
      await fixture.database.sql<{ id: string }[]>`
        select runs.id from runs join pipelines p on p.id = runs.pipeline_id
        where p.name = 'Fraud scoring' and status = 'succeeded' and main_metric_value > 0.9
        order by started_at desc, runs.id desc`
    ).map((row) => row.id);
    expect(expected.length).toBeGreaterThan(1);
    await page.getByText(`${expected.length} runs`, { exact: true }).waitFor();
    // Only the rows in view are drawn: the first of the matching runs, in order.
    const drawn = await renderedRunIds(page);
    expect(drawn.length).toBeGreaterThan(5);
    expect(drawn).toEqual(expected.slice(0, drawn.length));
    for (const row of await renderedRows(page)) {
      expect(row.slice(0, 2)).toEqual(['succeeded', 'Fraud scoring']);
      expect(Number(row[6]?.split(' ')[0])).toBeGreaterThan(0.9);
    }
    await session.screenshot(page, 'runs-filtered');

    await page.getByRole('combobox', { name: 'Trigger', exact: true }).selectOption('monitor');
    await page.getByRole('heading', { name: 'No run matches' }).waitFor();
    await session.screenshot(page, 'runs-no-match');
    await page.getByRole('button', { name: 'Clear filters' }).last().click();
    await page.getByText('100 runs loaded; scroll for more').waitFor();
  });

  it('says which field is wrong, keeping the last answer', async () => {
    const page = await session.newPage();
    await page.goto(`${session.app.url}/runs`);
    await page.locator('.runs-table tbody tr td a').first().waitFor();
    await page.getByRole('combobox', { name: 'Started', exact: true }).selectOption('custom');
    await page.getByLabel('From', { exact: true }).fill('2026-03-02T10:00');
    await page.getByLabel('To', { exact: true }).fill('2026-03-01T10:00');
    await page.getByText('The range must start before it ends.').waitFor();
    expect((await renderedRunIds(page)).length).toBeGreaterThan(0);
  });

  it('shows a run that starts while the page is open, without a reload', async () => {
    const page = await session.newPage();
    await page.goto(`${session.app.url}/runs`);
    await page.locator('.runs-table tbody tr td a').first().waitFor();
    const [version] = await fixture.database.sql<{ id: string; pipeline_id: string }[]>`
      select id, pipeline_id from pipeline_versions order by created_at limit 1`;
    const [arrived] = await fixture.database.sql<{ id: string }[]>`
      insert into runs (pipeline_id, pipeline_version_id, workflow_id, trigger, status)
      values (${version?.pipeline_id ?? ''}, ${version?.id ?? ''}, 'page-arrived', 'schedule', 'queued')
      returning id`;
    // The worker's first write for a run, which announces it on the live channel.
    await setRunStatus(fixture.database.sql, { runId: arrived?.id ?? '', status: 'running' });
    await page.waitForFunction(
      (id) =>
        document
          .querySelector('.runs-table tbody tr td:first-child a')
          ?.getAttribute('href')
          ?.endsWith(`run=${id}`),
      arrived?.id,
    );
    const [first] = await renderedRows(page);
    expect(first?.slice(0, 4)).toEqual(['running', 'Churn retraining', 'v1', 'Schedule']);
  });

  it("opens a run on its pipeline's canvas", async () => {
    const page = await session.newPage();
    await page.goto(`${session.app.url}/runs`);
    const link = page.locator('.runs-table tbody tr td a').first();
    await link.waitFor();
    const [newest] = await fixture.database.sql<{ id: string; pipeline_id: string }[]>`
      select id, pipeline_id from runs order by started_at desc, id desc limit 1`;
    await link.click();
    await page.waitForURL(`${session.app.url}/pipelines/${newest?.pipeline_id}?run=${newest?.id}`);
  });
});
