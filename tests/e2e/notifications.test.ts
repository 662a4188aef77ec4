/**
 * Notifications in Chromium against the production app, signed in as an editor: the bell in the top
 * bar counts unread notifications and lists them (opening it marks them read), and the editor's
 * Notifications panel stores a webhook (shown back as a hint only), an email and the chosen events.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipeline } from '../../db/queries/pipelines';
import { notifications, runs } from '../../db/schema';
import type { RunningApp } from '../../runtime/launcher/web-app';
import { accountsAuth, browserCookie, signedInAs } from '../support/accounts';
import { type Browser, launchBrowser, watchPageErrors } from '../support/browser';
import { setUpDatabaseAndWorker } from '../support/fixture';
import { pipelineDoc } from '../support/pipeline-doc';
import { startWebApp } from '../support/web-app';

const fixture = setUpDatabaseAndWorker();
const screenshots = path.resolve(import.meta.dirname, '..', '..', '.data', 'e2e-screenshots');
let app: RunningApp;
let browser: Browser;
let pipelineId: string;

beforeAll(async () => {
  const { db } = fixture.database;
  const created = await createPipeline(db, {
    name: 'Nightly churn retraining',
    graph: pipelineDoc(
      [{ id: 'ingest', type: 'ingest', config: { source: 'sample', sample: 'breast_cancer' } }],
      [],
    ),
  });
  pipelineId = created.pipeline.id;
  const [run] = await db
    .insert(runs)
    .values({
      pipelineId,
      pipelineVersionId: created.version.id,
      workflowId: 'notifications-e2e',
      status: 'failed',
      trigger: 'schedule',
    })
    .returning();
  await db.insert(notifications).values([
    {
      event: 'schedule_skipped',
      pipelineId,
      message: 'Schedule "Nightly" skipped 1 start: the previous run was still going (overlap: skip)',
      createdAt: new Date('2026-12-06T06:00:00Z'),
    },
    {
      event: 'gate_blocked',
      pipelineId,
      runId: run?.id,
      message: 'Step "Evaluate" (evaluate) failed: Failed gates: f1 >= 0.9 (measured 0.84)',
      createdAt: new Date('2026-12-07T06:02:00Z'),
    },
  ]);
  app = await startWebApp(fixture);
  browser = await launchBrowser();
  const editor = await signedInAs(accountsAuth(db), 'editor');
  await browser.context.addCookies([browserCookie(editor.cookie, app.url)]);
  mkdirSync(screenshots, { recursive: true });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function onPage(test: (page: Page) => Promise<void>): Promise<void> {
  const page = await browser.context.newPage();
  const errors = watchPageErrors(page);
  try {
    await test(page);
    expect(errors).toEqual([]);
  } finally {
    await page.close();
  }
}

describe('notifications', () => {
  it('the bell counts unread notifications, lists them newest first, and opening it marks them read', async () => {
    await onPage(async (page) => {
      await page.goto(`${app.url}/runs`);
      const bell = page.getByRole('button', { name: 'Notifications: 2 unread' });
      await bell.waitFor();
      await bell.click();
      const items = page.locator('.bell-item');
      await items.first().waitFor();
      expect(await items.locator('.bell-event').allTextContents()).toEqual([
        'Gate blocked a run',
        'Schedule skipped a start',
      ]);
      expect(await items.first().locator('a').getAttribute('href')).toMatch(
        new RegExp(`^/pipelines/${pipelineId}\\?run=`),
      );
      await page.screenshot({ path: path.join(screenshots, 'notifications-bell.png') });
      await page.getByRole('button', { name: 'Notifications', exact: true }).waitFor();
    });
  });

  it("the editor's Notifications panel stores events, a webhook shown as a hint, and an email", async () => {
    await onPage(async (page) => {
      await page.goto(`${app.url}/pipelines/${pipelineId}`);
      await page.getByRole('button', { name: 'Notify' }).click();
      const panel = page.getByRole('complementary', { name: 'Notifications' });
      await panel.getByLabel('Run failed').check();
      await panel.getByLabel('Gate blocked a run').check();
      await panel
        .getByLabel('Add a webhook URL')
        .fill('https://hooks.example.com/services/T01/B02/verysecrettoken');
      await panel.getByLabel('Email address to add').fill('ops@example.com');
      await panel.getByRole('button', { name: 'Add', exact: true }).click();
      await panel.getByRole('button', { name: 'Save' }).click();
      await panel.getByText('https://hooks.example.com/services/…oken').waitFor();
      expect(await panel.textContent()).not.toContain('verysecret');
      expect(await panel.getByText('ops@example.com').count()).toBe(1);
      await page.screenshot({ path: path.join(screenshots, 'notifications-settings.png') });
    });
  });
});
