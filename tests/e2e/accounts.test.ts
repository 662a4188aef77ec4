import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupLinkIfNoUsers } from '../../runtime/launcher/setup-link';
import type { RunningApp } from '../../runtime/launcher/web-app';
import { type Browser, launchBrowser, watchPageErrors } from '../support/browser';
import { canvasPoint, connect, dropStep } from '../support/canvas';
import { setUpDatabaseAndWorker } from '../support/fixture';
import { startWebApp } from '../support/web-app';

/**
 * The walk through accounts, in Chromium against the production app: the setup link makes
 * the first admin, who invites an editor and a viewer; the editor builds and runs a pipeline; the
 * viewer sees it and its run, read-only.
 */
const fixture = setUpDatabaseAndWorker();
const screenshots = path.resolve(import.meta.dirname, '..', '..', '.data', 'e2e-screenshots');
let app: RunningApp;
/** One browser per person, so each has their own cookies. */
const browsers: Browser[] = [];

beforeAll(async () => {
  app = await startWebApp(fixture);
  mkdirSync(screenshots, { recursive: true });
}, 600_000);
afterAll(async () => {
  for (const browser of browsers) await browser.close();
  await app?.stop();
});

async function personPage(): Promise<{ page: Page; errors: string[] }> {
  const browser = await launchBrowser();
  browsers.push(browser);
  const page = await browser.context.newPage();
  return { page, errors: watchPageErrors(page) };
}

async function join(
  page: Page,
  link: string,
  who: { name: string; email: string; button: string },
): Promise<void> {
  await page.goto(link);
  await page.getByLabel('Name').waitFor();
  await page.screenshot({
    path: path.join(screenshots, `accounts-join-${who.button.replaceAll(' ', '-')}.png`),
  });
  await page.getByLabel('Name').fill(who.name);
  const email = page.getByLabel('Email');
  if (await email.isEditable()) await email.fill(who.email);
  await page.locator('input[name=password]').fill('correct horse battery');
  await page.locator('input[name=confirm]').fill('correct horse battery');
  await page.getByRole('button', { name: who.button }).click();
  await page.waitForURL(`${app.url}/`);
  await page.getByRole('heading', { name: 'Pipelines', exact: true }).waitFor();
}

async function invite(admin: Page, role: string, email: string): Promise<string> {
  await admin.goto(`${app.url}/admin/users`);
  const form = admin.getByRole('region', { name: 'Invite someone' });
  await form.getByLabel('Role').selectOption(role);
  await form.getByLabel('Email (optional)').fill(email);
  await form.getByRole('button', { name: 'Create invite link' }).click();
  const link = await admin.getByLabel('Invite link').inputValue();
  expect(link).toMatch(
    new RegExp(`^${app.url.replace('127.0.0.1', '(127\\.0\\.0\\.1|localhost)')}/join/[\\w-]{43}$`),
  );
  // Done puts the link away for good.
  await admin.getByRole('button', { name: 'Done' }).click();
  await admin.getByLabel('Invite link').waitFor({ state: 'detached' });
  return link.replace('localhost', '127.0.0.1');
}

describe('accounts in Chromium', () => {
  it('setup link → first admin → invites → the editor builds and runs a pipeline → the viewer sees it read-only', async () => {
    // What `npm start` prints while nobody has an account, for this app's address.
    const setupLink = await setupLinkIfNoUsers(fixture.database.url, new URL(app.url));
    if (!setupLink) throw new Error('no setup link although the database has no users');

    const admin = await personPage();
    await admin.page.goto(app.url);
    await admin.page.getByRole('heading', { name: 'Finish setting up Pipewright' }).waitFor();
    await join(admin.page, setupLink, {
      name: 'Ada Admin',
      email: 'ada@example.com',
      button: 'Create admin account',
    });
    expect(await admin.page.getByText('ada@example.com').first().textContent()).toContain('ada@example.com');

    const editorLink = await invite(admin.page, 'editor', 'eddie@example.com');
    const viewerLink = await invite(admin.page, 'viewer', 'vera@example.com');
    await admin.page.goto(`${app.url}/admin/users`);
    await admin.page.getByRole('cell', { name: 'ada@example.com' }).waitFor();
    await admin.page.screenshot({ path: path.join(screenshots, 'accounts-admin-users.png'), fullPage: true });

    // The setup link is spent.
    const stranger = await personPage();
    await stranger.page.goto(setupLink);
    await stranger.page.getByText('This link has already been used').waitFor();

    const editor = await personPage();
    await join(editor.page, editorLink, {
      name: 'Eddie Editor',
      email: 'eddie@example.com',
      button: 'Create account',
    });
    await editor.page.getByRole('button', { name: 'New pipeline' }).click();
    await editor.page.waitForURL(/\/pipelines\/[0-9a-f-]{36}$/);
    const pipelineUrl = editor.page.url();
    const at = await canvasPoint(editor.page);
    const ingest = await dropStep(editor.page, 'ingest', at(0.2, 0.3));
    const split = await dropStep(editor.page, 'split', at(0.65, 0.3));
    const train = await dropStep(editor.page, 'train', at(0.4, 0.7));
    await connect(editor.page, ingest, split);
    await connect(editor.page, split, train);
    await ingest.click();
    await editor.page.getByLabel('Source', { exact: true }).selectOption({ label: 'Sample (default)' });
    await editor.page.getByLabel('Sample dataset').selectOption({ label: 'Iris (default)' });
    await split.click();
    await editor.page.getByLabel('Stratify by').selectOption('target');
    await train.click();
    expect(await editor.page.locator('.react-flow__edge').count()).toBe(2);
    // A column field is a select once the columns upstream are known, a text box until then.
    const target = editor.page.getByLabel('Target column');
    if ((await target.evaluate((field) => field.tagName)) === 'SELECT') await target.selectOption('target');
    else await target.fill('target');
    await editor.page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect
      .poll(() => editor.page.getByTestId('run-status').textContent(), { timeout: 180_000 })
      .toBe('succeeded');
    expect(editor.errors).toEqual([]);

    const viewer = await personPage();
    await join(viewer.page, viewerLink, {
      name: 'Vera Viewer',
      email: 'vera@example.com',
      button: 'Create account',
    });
    await viewer.page.getByRole('link', { name: 'Untitled pipeline' }).waitFor();
    const newPipeline = viewer.page.getByRole('button', { name: 'New pipeline' });
    expect(await newPipeline.isDisabled()).toBe(true);
    expect(await newPipeline.getAttribute('title')).toMatch(
      /viewer you may not create, edit or import pipelines/,
    );
    await viewer.page.screenshot({ path: path.join(screenshots, 'accounts-viewer-home.png') });

    await viewer.page.goto(pipelineUrl);
    await viewer.page.getByText('Read-only').waitFor();
    await viewer.page.screenshot({ path: path.join(screenshots, 'accounts-viewer-editor.png') });
    const run = viewer.page.getByRole('button', { name: 'Run', exact: true });
    expect(await run.isDisabled()).toBe(true);
    expect(await run.getAttribute('title')).toMatch(/may not start, cancel or re-run runs/);
    // The viewer reads the editor's run.
    await viewer.page.goto(`${pipelineUrl}/runs`);
    await viewer.page.getByRole('cell', { name: 'succeeded' }).first().waitFor();
    expect(await viewer.page.getByRole('cell', { name: 'eddie@example.com' }).count()).toBe(1);
    await viewer.page.screenshot({ path: path.join(screenshots, 'accounts-viewer-runs.png') });
    expect(viewer.errors).toEqual([]);
    expect(admin.errors).toEqual([]);
  }, 400_000);
});
