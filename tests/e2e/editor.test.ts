import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../runtime/launcher/web-app';
import { accountsAuth, browserCookie, signedInAs } from '../support/accounts';
import { type Browser, launchBrowser, watchPageErrors } from '../support/browser';
import { centreOf, connect, drag, dropStep } from '../support/canvas';
import { setUpDatabaseAndWorker } from '../support/fixture';
import { startWebApp } from '../support/web-app';

const fixture = setUpDatabaseAndWorker();
const failures = path.resolve(import.meta.dirname, '..', '..', '.data', 'e2e-failures');
/** Screenshots a test takes on purpose, for a reader to look at. */
const screenshots = path.resolve(import.meta.dirname, '..', '..', '.data', 'e2e-screenshots');
let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  app = await startWebApp(fixture);
  browser = await launchBrowser();
  // Signed in as an admin: these tests are about the pages, not about roles.
  const admin = await signedInAs(accountsAuth(fixture.database.db), 'admin');
  await browser.context.addCookies([browserCookie(admin.cookie, app.url)]);
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/**
 * Runs a browser test on a fresh page, saving a screenshot when it fails (unless the failure is the
 * one the test expects: `expectFailure`). The test fails too when the page threw or logged an
 * error, even if everything it looked for was there.
 */
async function onPage(
  name: string,
  test: (page: Page) => Promise<void>,
  options: { expectFailure?: boolean } = {},
): Promise<void> {
  const page = await browser.context.newPage();
  const pageErrors = watchPageErrors(page);
  try {
    await test(page);
    if (pageErrors.length) throw new Error(`The page reported errors:\n${pageErrors.join('\n')}`);
  } catch (error) {
    if (!options.expectFailure) await saveScreenshot(page, path.join(failures, `${name}.png`));
    if (pageErrors.length && error instanceof Error && !error.message.startsWith('The page reported'))
      error.message += `\nBrowser errors:\n${pageErrors.slice(0, 5).join('\n')}`;
    throw error;
  } finally {
    await page.close();
  }
}

async function saveScreenshot(page: Page, file: string): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage: true }).catch(() => {});
}

/**
 * Records every transform React Flow gives its viewport, from the page's first script on: the
 * framing of a pipeline shows as the transforms after the initial one.
 */
function recordViewportTransforms(): void {
  const seen: string[] = [];
  Object.defineProperty(window, 'pipewrightViewportTransforms', { value: seen });
  new MutationObserver(() => {
    const viewport = document.querySelector<HTMLElement>('.react-flow__viewport');
    const transform = viewport?.style.transform;
    if (transform && transform !== seen.at(-1)) seen.push(transform);
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['style'] });
}

async function viewportTransforms(page: Page): Promise<string[]> {
  const seen: unknown = await page.evaluate(() => Reflect.get(window, 'pipewrightViewportTransforms'));
  return Array.isArray(seen) ? seen.filter((each) => typeof each === 'string') : [];
}

/** The zoom in a transform such as "translate(40px, 229px) scale(0.8)". */
function zoomOf(transform: string | undefined): number {
  const match = /scale\(([\d.]+)\)/.exec(transform ?? '');
  return match ? Number(match[1]) : Number.NaN;
}

async function newPipeline(page: Page): Promise<void> {
  await page.goto(app.url);
  await page.getByRole('button', { name: 'New pipeline' }).click();
  await page.waitForURL(/\/pipelines\/[0-9a-f-]{36}$/);
  await page.getByText('Drag a step from the left').waitFor();
}

describe('editor in Chromium', () => {
  it('fails a test whose page throws or logs an error', async () => {
    for (const name of ['deliberate-page-error', 'deliberate-console-error'])
      rmSync(path.join(failures, `${name}.png`), { force: true });
    const thrown = onPage(
      'deliberate-page-error',
      async (page) => {
        await page.goto(app.url);
        const raised = page.waitForEvent('pageerror');
        await page.evaluate(() => {
          setTimeout(() => {
            throw new Error('deliberate failure');
          });
        });
        await raised;
      },
      { expectFailure: true },
    );
    await expect(thrown).rejects.toThrow('The page reported errors:\nUncaught: deliberate failure');
    const logged = onPage(
      'deliberate-console-error',
      async (page) => {
        await page.goto(app.url);
        const reported = page.waitForEvent('console', (message) => message.text() === 'deliberately logged');
        await page.evaluate(() => console.error('deliberately logged'));
        await reported;
      },
      { expectFailure: true },
    );
    await expect(logged).rejects.toThrow('The page reported errors:\nConsole error: deliberately logged');
    // An expected failure leaves no failure screenshot behind.
    expect(existsSync(path.join(failures, 'deliberate-page-error.png'))).toBe(false);
    expect(existsSync(path.join(failures, 'deliberate-console-error.png'))).toBe(false);
  }, 60_000);

  it('opens a template at a legible zoom with its first step in view, setting the view once', async () => {
    await onPage('template-zoom', async (page) => {
      await page.addInitScript(recordViewportTransforms);
      await page.goto(app.url);
      await page.getByRole('button', { name: 'From template: Classification' }).click();
      await page.waitForURL(/\/pipelines\/[0-9a-f-]{36}$/);
      const first = page.getByTestId('node-Load dataset');
      await first.waitFor();
      // Framed once the viewport has left the canvas's start, translate(40px, 40px) scale(1).
      await expect
        .poll(async () => (await viewportTransforms(page)).length, { timeout: 30_000 })
        .toBeGreaterThanOrEqual(2);
      const framings = (await viewportTransforms(page)).slice(1);
      expect(framings).toHaveLength(1);
      const zoom = zoomOf(
        await page.locator('.react-flow__viewport').evaluate((element) => element.style.transform),
      );
      expect(zoom).toBe(zoomOf(framings[0]));
      expect(zoom).toBeGreaterThanOrEqual(0.8);
      expect(zoom).toBeLessThanOrEqual(1);

      const pane = await page.locator('.react-flow__pane').boundingBox();
      const title = await first.locator('.step-title').boundingBox();
      if (!pane || !title) throw new Error('the canvas or the first card is not on screen');
      expect(await first.locator('.step-title').textContent()).toBe('Load dataset');
      expect(title.x).toBeGreaterThanOrEqual(pane.x);
      expect(title.y).toBeGreaterThanOrEqual(pane.y);
      expect(title.x + title.width).toBeLessThanOrEqual(pane.x + pane.width);
      expect(title.y + title.height).toBeLessThanOrEqual(pane.y + pane.height);
      await saveScreenshot(page, path.join(screenshots, 'template-framed.png'));
    });
  }, 120_000);

  it('builds a classification pipeline from an empty canvas, runs it live and shows the confusion matrix', async () => {
    await onPage('build-and-run', async (page) => {
      await newPipeline(page);
      const canvas = await page.locator('.react-flow__pane').boundingBox();
      if (!canvas) throw new Error('no canvas');
      // Two rows, so the four cards fit the canvas at 1280×800 without overlapping.
      const at = (x: number, y: number) => ({
        x: canvas.x + canvas.width * x,
        y: canvas.y + canvas.height * y,
      });
      const ingest = await dropStep(page, 'ingest', at(0.2, 0.25));
      const split = await dropStep(page, 'split', at(0.65, 0.25));
      const train = await dropStep(page, 'train', at(0.2, 0.65));
      const evaluate = await dropStep(page, 'evaluate', at(0.65, 0.65));
      await connect(page, ingest, split);
      await connect(page, split, train);
      await connect(page, train, evaluate);
      await drag(
        page,
        split.locator('.react-flow__handle-right'),
        await centreOf(evaluate.locator('.react-flow__handle-left').nth(1)),
      );
      expect(await page.locator('.react-flow__edge').count()).toBe(4);

      await ingest.click();
      await page.getByLabel('Source', { exact: true }).selectOption({ label: 'Sample (default)' });
      await page.getByLabel('Sample dataset').selectOption({ label: 'Iris (default)' });
      await split.click();
      await page.getByLabel('Stratify by').selectOption('target');
      await train.click();
      await page.getByLabel('Target column').selectOption('target');

      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await expect
        .poll(() => page.getByTestId('run-status').textContent(), { timeout: 180_000 })
        .toBe('succeeded');
      for (const node of [ingest, split, train, evaluate])
        expect(await node.getByTestId('step-status').textContent()).toBe('Succeeded');

      await evaluate.click();
      const matrix = page.getByTestId('confusion-matrix');
      await matrix.waitFor({ timeout: 30_000 });
      const text = (await matrix.textContent()) ?? '';
      for (const label of ['setosa', 'versicolor', 'virginica']) expect(text).toContain(label);
      await page.screenshot({ path: path.join(path.dirname(failures), 'editor-finished-run.png') });

      // The train step's own summary: its metrics as a table, not JSON.
      await train.click();
      const details = page.getByRole('complementary', { name: /Details of train/ });
      await details.getByRole('cell', { name: 'Accuracy' }).waitFor({ timeout: 30_000 });
      expect(await details.getByText(/predicting target from \d+ features/).count()).toBe(1);
      await page.screenshot({ path: path.join(path.dirname(failures), 'editor-train-details.png') });
    });
  }, 300_000);

  it('refuses an invalid connection and flags an invalid field, saying why', async () => {
    await onPage('invalid-input', async (page) => {
      await newPipeline(page);
      const canvas = await page.locator('.react-flow__pane').boundingBox();
      if (!canvas) throw new Error('no canvas');
      const split = await dropStep(page, 'split', { x: canvas.x + canvas.width * 0.6, y: canvas.y + 200 });
      const train = await dropStep(page, 'train', { x: canvas.x + canvas.width * 0.25, y: canvas.y + 200 });
      await connect(page, train, split);
      await page.getByText('Cannot connect: Model is a model, but Data takes a dataset').waitFor();
      expect(await page.locator('.react-flow__edge').count()).toBe(0);

      await split.click();
      const fraction = page.getByLabel('Test fraction');
      await fraction.fill('1.5');
      await fraction.blur();
      await expect.poll(() => fraction.getAttribute('aria-invalid')).toBe('true');
      const described = (await fraction.getAttribute('aria-describedby')) ?? '';
      const messages = await Promise.all(
        described
          .split(' ')
          .filter(Boolean)
          .map((id) => page.locator(`[id="${id}"]`).textContent()),
      );
      expect(messages).toContain('Too big: expected number to be <1');
    });
  }, 300_000);

  it('edits operations entry by entry, saves with a message and restores an older version', async () => {
    await onPage('operations-and-versions', async (page) => {
      await newPipeline(page);
      const canvas = await page.locator('.react-flow__pane').boundingBox();
      if (!canvas) throw new Error('no canvas');
      const clean = await dropStep(page, 'clean', { x: canvas.x + canvas.width / 2, y: canvas.y + 200 });
      await clean.click();
      await page.getByLabel('Add an operation').selectOption({ label: 'Filter rows' });
      await page.getByRole('button', { name: '+ Condition' }).click();
      // No data is connected, so the column is typed rather than picked.
      const column = page.getByLabel('Keep rows where, condition 1: column');
      await column.fill('age');
      await column.press('Enter');
      await page.getByLabel('Keep rows where, condition 1: operator').selectOption({ label: 'is more than' });
      const value = page.getByLabel('Keep rows where, condition 1: value');
      await value.fill('50');
      await value.press('Enter');

      await page.getByRole('button', { name: 'Versions' }).click();
      await page.getByLabel('What changed (optional)').fill('Keep the over-fifties');
      await page.getByRole('button', { name: 'Save as a new version' }).click();
      await page.getByText('Keep the over-fifties').waitFor();

      // Remove the operation and save that too; then bring the filter back from the saved version.
      await page.getByRole('button', { name: 'Close versions' }).click();
      await page.getByRole('button', { name: 'Remove operation 1' }).click();
      await page.getByText('No operations yet.').waitFor();
      await page.keyboard.press('Control+s');
      await page.getByText(/Saved as version 3/).waitFor();
      await page.getByRole('button', { name: 'Versions' }).click();
      await page
        .getByRole('listitem')
        .filter({ hasText: 'Keep the over-fifties' })
        .getByRole('button', { name: 'Restore' })
        .click();
      await page.getByText('Restored from version 2').waitFor();
      await page.getByRole('button', { name: 'Close versions' }).click();
      await clean.click();
      expect(await page.getByLabel('Operation 1: kind').inputValue()).toBe('filter');
      expect(await page.getByLabel('Keep rows where, condition 1: operator').inputValue()).toBe('>');
      expect(await page.getByLabel('Keep rows where, condition 1: value').inputValue()).toBe('50');
    });
  }, 300_000);
});
