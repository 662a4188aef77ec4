/**
 * The version diff page in Chromium against the production app, signed in as a viewer (reading a
 * pipeline is all it needs): reached from the editor's Versions panel, it colours the steps of two
 * versions of the deploy example by what happened to them, lists the changes, and shows a changed
 * step's fields old → new.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipeline, saveVersion } from '../../db/queries/pipelines';
import type { RunningApp } from '../../runtime/launcher/web-app';
import { accountsAuth, browserCookie, signedInAs } from '../support/accounts';
import { type Browser, launchBrowser, watchPageErrors } from '../support/browser';
import { setUpDatabaseAndWorker } from '../support/fixture';
import { firstVersion, secondVersion } from '../support/version-diff-scenario';
import { startWebApp } from '../support/web-app';

const fixture = setUpDatabaseAndWorker();
const screenshots = path.resolve(import.meta.dirname, '..', '..', '.data', 'e2e-screenshots');
let app: RunningApp;
let browser: Browser;
let pipelineId: string;

beforeAll(async () => {
  const { db } = fixture.database;
  const created = await createPipeline(db, {
    name: 'Churn retraining',
    graph: firstVersion(),
    author: 'ana@example.test',
  });
  pipelineId = created.pipeline.id;
  await saveVersion(db, {
    pipelineId,
    graph: secondVersion(),
    author: 'ana@example.test',
    message: 'Clip outliers, stricter gate, no auto-deploy',
  });
  app = await startWebApp(fixture);
  browser = await launchBrowser();
  const viewer = await signedInAs(accountsAuth(db), 'viewer');
  await browser.context.addCookies([browserCookie(viewer.cookie, app.url)]);
  mkdirSync(screenshots, { recursive: true });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** A fresh page for one test; the test fails if the page threw or logged an error. */
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

/** The ids of the canvas's steps wrapped in this change's class. */
async function stepsMarked(page: Page, kind: string): Promise<string[]> {
  return page
    .locator(`.react-flow__node.diff-${kind}`)
    .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-id') ?? '').sort());
}

/** The text of each header and data cell of these table rows. */
async function cellsOf(rows: Locator): Promise<string[][]> {
  return rows.evaluateAll((found) =>
    found.map((row) => [...row.querySelectorAll('th, td')].map((cell) => (cell.textContent ?? '').trim())),
  );
}

describe('version diff page', () => {
  it('opens from the Versions panel and colours added, removed and changed steps and connections', async () => {
    await onPage(async (page) => {
      await page.goto(`${app.url}/pipelines/${pipelineId}`);
      await page.getByRole('button', { name: 'Versions' }).click();
      await page.getByRole('link', { name: 'Compare with v2' }).waitFor();
      await page.screenshot({ path: path.join(screenshots, 'version-diff-versions-panel.png') });
      await page.getByRole('link', { name: 'Compare versions' }).click();
      await page.waitForURL(`${app.url}/pipelines/${pipelineId}/diff?from=1&to=2`);
      await page.locator('.react-flow__node.diff-added').waitFor();

      expect(await stepsMarked(page, 'added')).toEqual(['clip']);
      expect(await stepsMarked(page, 'removed')).toEqual(['deploy']);
      expect(await stepsMarked(page, 'changed')).toEqual(['evaluate', 'split', 'train']);
      expect(await stepsMarked(page, 'unchanged')).toEqual(['clean', 'feature', 'ingest']);
      expect(await page.locator('.react-flow__edge.diff-added').count()).toBe(2);
      expect(await page.locator('.react-flow__edge.diff-removed').count()).toBe(4);

      const summary = page.getByRole('list', { name: 'Summary' });
      expect((await summary.locator('li').allTextContents()).map((text) => text.trim())).toEqual([
        '1 step added',
        '1 step removed',
        '3 steps changed',
        '2 connections added',
        '4 connections removed',
        '2 parameters changed',
        '1 note changed',
        '1 step moved',
      ]);
      await page.screenshot({ path: path.join(screenshots, 'version-diff.png') });
      await page.getByRole('heading', { name: 'Notes' }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(screenshots, 'version-diff-list-end.png') });

      // A changed step lists its fields, old → new.
      await page.locator('.react-flow__node[data-id="split"]').click();
      const changes = page.getByRole('region', { name: 'Changes to Split train/test' });
      await changes.waitFor();
      const rows = await cellsOf(changes.locator('tbody tr'));
      expect(rows).toEqual([
        ['config.seed', '42', '→', '$seed'],
        ['config.testFraction', '0.2', '→', '0.25'],
      ]);
      await page.screenshot({ path: path.join(screenshots, 'version-diff-step.png') });
    });
  });

  it('opens a step from the list of changes: a changed one field by field, a removed one as it was', async () => {
    await onPage(async (page) => {
      await page.goto(`${app.url}/pipelines/${pipelineId}/diff?from=1&to=2`);
      const changes = page.getByRole('complementary', { name: 'Changes' });
      await changes.getByRole('button', { name: /Evaluate/ }).click();
      const evaluate = page.getByRole('region', { name: 'Changes to Evaluate' });
      expect(await cellsOf(evaluate.locator('tbody tr'))).toEqual([
        ['config.gates[0].value', '0.7', '→', '0.8'],
      ]);
      await page.getByRole('button', { name: 'Back to all changes' }).click();
      await changes.getByRole('button', { name: /Deploy/ }).click();
      const deploy = page.getByRole('region', { name: 'Changes to Deploy' });
      await deploy.getByText('In version 1, gone from version 2.').waitFor();
      expect(await deploy.locator('.diff-settings').textContent()).toContain('action"production"');
      expect(await page.locator('.react-flow__node[data-id="deploy"] .step-node.selected').count()).toBe(1);
      await page.screenshot({ path: path.join(screenshots, 'version-diff-removed-step.png') });
    });
  });

  it('swaps the versions, and says so when both are the same', async () => {
    await onPage(async (page) => {
      await page.goto(`${app.url}/pipelines/${pipelineId}/diff?from=1&to=2`);
      await page.getByRole('button', { name: 'Swap the two versions' }).click();
      await page.waitForURL(`${app.url}/pipelines/${pipelineId}/diff?from=2&to=1`);
      await page.locator('.react-flow__node.diff-removed[data-id="clip"]').waitFor();
      expect(await stepsMarked(page, 'added')).toEqual(['deploy']);

      await page.getByLabel('From').selectOption('1');
      await page.waitForURL(`${app.url}/pipelines/${pipelineId}/diff?from=1&to=1`);
      await page.getByText('Versions 1 and 1 are the same pipeline.').waitFor();
      expect(await page.locator('.react-flow__node.diff-changed').count()).toBe(0);
    });
  });

  it('says which version is not there', async () => {
    // Not through onPage: the browser logs the refused request (404) as a console error.
    const page = await browser.context.newPage();
    try {
      await page.goto(`${app.url}/pipelines/${pipelineId}/diff?from=1&to=9`);
      await page.getByText('Pipeline Churn retraining has no version 9').waitFor();
    } finally {
      await page.close();
    }
  });
});
