import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../access/roles';
import type { Actor } from '../../app/_server/auth/actor';
import type { RunningApp } from '../../runtime/launcher/web-app';
import { type Browser, launchBrowser, watchPageErrors } from '../support/browser';
import { setUpDatabaseAndWorker } from '../support/fixture';
import { pipelineDoc } from '../support/pipeline-doc';
import { testAuth, testCaller } from '../support/services';
import { startWebApp } from '../support/web-app';

const fixture = setUpDatabaseAndWorker();
/** Screenshots a test takes on purpose, for a reader to look at. */
const screenshots = path.resolve(import.meta.dirname, '..', '..', '.data', 'e2e-screenshots');
const PASSWORD = 'correct horse battery staple';
let app: RunningApp;
let browser: Browser;

/** A real account (better-auth hashes its password), and the actor procedures see for it. */
async function createAccount(email: string, role: Role): Promise<Actor> {
  const created = await testAuth(fixture.database.db).api.createUser({
    body: { email, password: PASSWORD, name: email.split('@')[0] ?? email, role },
  });
  return { kind: 'user', userId: created.user.id, email, name: created.user.name, role };
}

beforeAll(async () => {
  // startWebApp passes this process's environment on to the app, which needs a secret key.
  process.env.PIPEWRIGHT_SECRET_KEY = randomBytes(32).toString('hex');
  app = await startWebApp(fixture);
  browser = await launchBrowser();
  const admin = await createAccount('ada@example.com', 'admin');
  const editor = await createAccount('eddie@example.com', 'editor');
  await createAccount('vera@example.com', 'viewer');
  // A little history, made through the procedures so the entries are the real ones.
  const asEditor = testCaller(fixture.database, fixture.worker, editor).caller;
  const doc = pipelineDoc([{ id: 'a', type: 'test.source' }], []);
  const churn = await asEditor.pipelines.create({ name: 'Churn', document: doc });
  await asEditor.pipelines.saveVersion({ pipelineId: churn.id, document: doc, message: 'tidy' });
  await asEditor.pipelines.rename({ id: churn.id, name: 'Churn model' });
  await asEditor.pipelines.create({ name: '=cmd|calc', document: doc, origin: 'import' });
  await asEditor.runs.start({ pipelineId: churn.id });
  const asKey = testCaller(fixture.database, fixture.worker, {
    ...admin,
    kind: 'key',
    keyId: 'k1',
    keyPrefix: 'pw_Q7rT2mXa',
    scope: 'admin',
  }).caller;
  await asKey.pipelines.archive({ id: churn.id });
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function signedInPage(email: string): Promise<{ page: Page; errors: string[] }> {
  // One browser profile for every test: start each signed out.
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  const errors = watchPageErrors(page);
  await page.goto(`${app.url}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: /sign in/i }).click();
  await page
    .waitForURL((url) => !url.pathname.startsWith('/sign-in'), { timeout: 10_000 })
    .catch(async (error) => {
      await screenshot(page, 'audit-sign-in-failed.png');
      const log = readFileSync(path.join(fixture.worker.dataDir, 'logs', 'app.log'), 'utf8');
      throw new Error(`${error}\n${log.slice(-3000)}\n${errors.join('\n')}`);
    });
  return { page, errors };
}

/**
 * The page's errors, less Next's prefetches of the shell's links to pages other branches of issue 13
 * add (/keys, /account, /admin/users, /admin/connections): on a branch without them they answer 404.
 */
function ownErrors(errors: string[]): string[] {
  return errors.filter(
    (error) => !/status of 404 .*\/(keys|account|admin\/users|admin\/connections)\?_rsc=/.test(error),
  );
}

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: path.join(screenshots, name), fullPage: true });
}

describe('the audit log page', () => {
  it('shows an admin every entry newest first, filters by action family and exports what it shows', async () => {
    const { page, errors } = await signedInPage('ada@example.com');
    await page.goto(`${app.url}/admin/audit`);
    const rows = page.locator('.audit-table tbody tr');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(7);
    const actions = await page.locator('.audit-table tbody tr td:nth-child(3)').allInnerTexts();
    expect(actions.slice(0, 7)).toEqual([
      'sign-in',
      'pipeline.archived',
      'run.started',
      'pipeline.imported',
      'pipeline.renamed',
      'pipeline.saved',
      'pipeline.created',
    ]);
    await expect.poll(() => rows.nth(1).textContent()).toContain('key pw_Q7rT2mXa');
    expect(await rows.nth(4).textContent()).toContain('Churn → Churn model');
    await screenshot(page, 'audit-admin.png');

    await page.getByLabel('Action').selectOption('pipeline.');
    await page.getByLabel('Actor').fill('eddie');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect
      .poll(async () => page.locator('.audit-table tbody tr td:nth-child(3)').allInnerTexts(), {
        timeout: 10_000,
      })
      .toEqual(['pipeline.imported', 'pipeline.renamed', 'pipeline.saved', 'pipeline.created']);
    const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    expect(href).toBe('/api/audit/export?actor=eddie&action=pipeline.');
    await screenshot(page, 'audit-filtered.png');

    const csv = await page.request.get(`${app.url}${href}`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-disposition']).toMatch(
      /^attachment; filename="pipewright-audit-\d{4}-\d\d-\d\d\.csv"$/,
    );
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines).toHaveLength(5);
    expect(lines.some((line) => line.includes(",'=cmd|calc,"))).toBe(true);
    expect(ownErrors(errors)).toEqual([]);
    await page.close();
  });

  it('tells an editor the page needs the admin role, and the export refuses them', async () => {
    const { page, errors } = await signedInPage('eddie@example.com');
    await page.goto(`${app.url}/admin/audit`);
    await expect
      .poll(() => page.locator('.empty-state').textContent(), { timeout: 20_000 })
      .toContain('The audit log needs the admin role');
    expect(await page.locator('.audit-table').count()).toBe(0);
    await screenshot(page, 'audit-editor.png');
    const refused = await page.request.get(`${app.url}/api/audit/export`);
    expect(refused.status()).toBe(403);
    expect(await refused.text()).not.toContain('pipeline.');
    expect(ownErrors(errors)).toEqual([]);
    await page.close();
  });
});
