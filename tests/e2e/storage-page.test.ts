import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retentionDays } from '../../db/queries/retention';
import type { RunningApp } from '../../runtime/launcher/web-app';
import { type Browser, launchBrowser, watchPageErrors } from '../support/browser';
import { setUpDatabaseAndWorker } from '../support/fixture';
import { pipelineDoc } from '../support/pipeline-doc';
import { runToEnd, savePipeline } from '../support/pipelines';
import { testAuth } from '../support/services';
import { startWebApp } from '../support/web-app';

const fixture = setUpDatabaseAndWorker();
/** Screenshots a test takes on purpose, for a reader to look at. */
const screenshots = path.resolve(import.meta.dirname, '..', '..', '.data', 'e2e-screenshots');
const PASSWORD = 'correct horse battery staple';
let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  process.env.PIPEWRIGHT_SECRET_KEY = randomBytes(32).toString('hex');
  app = await startWebApp(fixture);
  browser = await launchBrowser();
  await testAuth(fixture.database.db).api.createUser({
    body: { email: 'ada@example.com', password: PASSWORD, name: 'ada', role: 'admin' },
  });
  // Two pipelines with real run files: one run of the first, two of the second.
  for (const [name, count] of [
    ['Churn model', 1],
    ['Demand forecast', 2],
  ] as const) {
    const doc = pipelineDoc(
      [
        { id: 'source', type: 'test.source', config: { value: 'x'.repeat(5000) } },
        { id: 'work', type: 'test.transform' },
      ],
      ['source.out->work.in'],
    );
    const { version } = await savePipeline(fixture.database.db, doc, name);
    for (let run = 0; run < count; run++) await runToEnd(fixture.database.db, fixture.worker, version.id);
  }
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function signedInPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage();
  const errors = watchPageErrors(page);
  await page.goto(`${app.url}/sign-in`);
  await page.getByLabel('Email').fill('ada@example.com');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'), { timeout: 10_000 });
  return { page, errors };
}

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: path.join(screenshots, name), fullPage: true });
}

describe('storage', () => {
  it('lets an admin set retention and shows disk use per pipeline, on the storage page and the pipelines list', async () => {
    const { page, errors } = await signedInPage();
    await page.goto(`${app.url}/admin/storage`);
    const rows = page.locator('.disk-use-table tbody tr');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(2);
    // Largest first: two runs of the forecast against one of the churn model.
    expect(await rows.locator('td:first-child').allTextContents()).toEqual([
      'Demand forecast',
      'Churn model',
    ]);
    const total = await page.locator('.disk-use-table tfoot td').allTextContents();
    expect(total[0]).toBe('6');
    expect(total[1]).toMatch(/^\d+(\.\d)? KB$/);

    const days = page.getByLabel('Delete run files after (days)');
    await days.fill('0');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => page.locator('.retention-form .form-error').textContent())
      .toBe('Between 1 and 36500 days, or leave it empty');
    await days.fill('30');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => retentionDays(fixture.database.db), { timeout: 10_000 }).toBe(30);
    await screenshot(page, 'storage-admin.png');

    await page.goto(app.url);
    await expect.poll(() => page.locator('.disk-use-note').count(), { timeout: 20_000 }).toBe(1);
    expect(await page.locator('.disk-use-note').textContent()).toMatch(
      /^Run files take \d+(\.\d)? KB in all; those of runs that ended over 30 days ago are deleted daily\.$/,
    );
    await screenshot(page, 'storage-pipelines-list.png');
    expect(errors).toEqual([]);
  });
});
