import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveActor } from '../../app/_server/auth/actor';
import { type Auth, createAuth } from '../../runtime/auth/auth';
import type { RunningApp } from '../../runtime/launcher/web-app';
import { type Browser, launchBrowser, watchPageErrors } from '../support/browser';
import { setUpDatabaseAndWorker } from '../support/fixture';
import { startWebApp } from '../support/web-app';

const fixture = setUpDatabaseAndWorker();
/** Screenshots a test takes on purpose, for a reader to look at. */
const screenshots = path.resolve(import.meta.dirname, '..', '..', '.data', 'e2e-screenshots');
let app: RunningApp;
let browser: Browser;
let auth: Auth;

beforeAll(async () => {
  process.env.PIPEWRIGHT_SECRET_KEY = randomBytes(32).toString('base64');
  auth = createAuth({
    db: fixture.database.db,
    secret: randomBytes(32),
    publicOrigin: new URL('http://localhost'),
  });
  for (const [email, role] of [
    ['ada@keys.test', 'editor'],
    ['root@keys.test', 'admin'],
  ] as const) {
    await auth.api.createUser({ body: { email, password: 'a long enough password', name: email, role } });
  }
  app = await startWebApp(fixture);
  browser = await launchBrowser();
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('API keys page', () => {
  it('creates a key shown once, lists it by prefix, and revokes it after a confirmation', async () => {
    const page = await browser.context.newPage();
    const errors = watchPageErrors(page);
    await signIn(page, 'ada@keys.test');

    // An editor may hold read, run and predict keys, not admin keys.
    await page.getByRole('button', { name: 'Create key' }).waitFor();
    const scopes = await page
      .locator('form select option')
      .evaluateAll((options) => options.map((option) => option.getAttribute('value')));
    expect(scopes).toEqual(['read', 'run', 'predict']);
    await page.getByLabel('Name').fill('nightly CI');
    await page.selectOption('form select', 'run');
    await page.click('button:has-text("Create key")');
    const shown = page.getByLabel('New API key');
    await shown.waitFor();
    const key = await shown.inputValue();
    expect(key).toMatch(/^pw_[A-Za-z0-9]{20,}$/);
    await expect(
      resolveActor(auth, fixture.database.db, new Headers({ authorization: `Bearer ${key}` })),
    ).resolves.toMatchObject({ scope: 'run', email: 'ada@keys.test' });
    await page.getByRole('cell', { name: `${key.slice(0, 11)}…` }).waitFor();
    expect(await page.getByText('It is shown only now and cannot be shown again').count()).toBe(1);
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: path.join(screenshots, 'keys-new-key-shown-once.png'), fullPage: true });

    // Shown once: after a reload only the prefix is left.
    await page.reload();
    await page.getByRole('cell', { name: `${key.slice(0, 11)}…` }).waitFor();
    expect(await page.content()).not.toContain(key);

    await page.click('button:has-text("Revoke")');
    await page.click('button:has-text("Yes, revoke")');
    await page.locator('.state-badge.state-off').waitFor();
    await expect(
      resolveActor(auth, fixture.database.db, new Headers({ authorization: `Bearer ${key}` })),
    ).rejects.toThrow('not valid');
    await page.screenshot({ path: path.join(screenshots, 'keys-revoked.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows an admin every account's keys with their owner, and admin keys to create", async () => {
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    const errors = watchPageErrors(page);
    await signIn(page, 'root@keys.test');
    await page.getByRole('heading', { name: "Every account's keys" }).waitFor();
    await page.getByRole('cell', { name: 'ada@keys.test' }).waitFor();
    const scopes = await page
      .locator('form select option')
      .evaluateAll((options) => options.map((option) => option.getAttribute('value')));
    expect(scopes).toEqual(['read', 'run', 'predict', 'admin']);
    await page.screenshot({ path: path.join(screenshots, 'keys-admin.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(`${app.url}/sign-in?next=/keys`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', 'a long enough password');
  await page.click('button[type=submit]');
  await page.waitForURL(`${app.url}/keys`);
  await page.getByRole('button', { name: 'Create key' }).waitFor();
}
