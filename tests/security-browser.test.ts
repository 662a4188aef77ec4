import { existsSync, readdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../runtime/launcher/web-app';
import { accountsAuth, browserCookie, createAccount, signedInAs } from './support/accounts';
import { type Browser, launchBrowser } from './support/browser';
import { setUpDatabaseAndWorker } from './support/fixture';
import { startWebApp } from './support/web-app';

// A real Chromium against the production build: the pages must work under the Content-Security-Policy
// and the Origin check, and a cross-site page must not get an upload in.

const fixture = setUpDatabaseAndWorker();
let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  app = await startWebApp(fixture);
  browser = await launchBrowser();
  // Signed in as an admin: these tests are about the pages, not about roles.
  const admin = await signedInAs(accountsAuth(fixture.database.db), 'admin');
  await browser.context.addCookies([browserCookie(admin.cookie, app.url)]);
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** A fresh page that records every script error and console error (CSP violations are console errors). */
async function openPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${message.text()} (${message.location().url})`);
  });
  return { page, errors };
}

function uploadedFiles(): string[] {
  const uploads = path.join(fixture.worker.dataDir, 'uploads');
  return existsSync(uploads) ? readdirSync(uploads, { recursive: true }).map(String) : [];
}

describe('pages under the security headers', () => {
  it('load, render and save with no CSP violation or script error', async () => {
    const { page, errors } = await openPage();
    try {
      await page.goto(app.url);
      await page.getByRole('button', { name: 'New pipeline' }).click();
      // Creating a pipeline is a tRPC mutation: the Origin check let our own page through.
      await page.waitForURL(/\/pipelines\/[0-9a-f-]{36}$/);
      await page.getByText('Drag a step from the left').waitFor();
      const stored = await page.evaluate(async () => {
        const response = await fetch('/api/uploads?name=from-the-page.csv', {
          method: 'POST',
          body: 'a\n1\n',
        });
        return { status: response.status, body: await response.json() };
      });
      expect(stored).toEqual({
        status: 201,
        body: { file: expect.stringMatching(/^uploads\/[0-9a-f-]{36}\/from-the-page\.csv$/), bytes: 4 },
      });
      // The app has no favicon yet; Chromium's request for one is not the page's doing.
      expect(errors.filter((error) => !error.includes('/favicon.ico'))).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('keeps a cross-site text/plain POST from storing an upload', async () => {
    // Another site: a page served from another origin, without Pipewright's headers.
    const site = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>elsewhere</title>');
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const address = site.address();
    if (address === null || typeof address === 'string') throw new Error('the other site has no port');
    const { page } = await openPage();
    try {
      await page.goto(`http://localhost:${address.port}/`);
      const before = uploadedFiles();
      // The app's own answer, not just an absence of files: a request that never arrived stores none either.
      const answer = page.waitForResponse((response) => response.url().includes('/api/uploads'));
      await page.evaluate(async (target) => {
        await fetch(target, {
          method: 'POST',
          mode: 'no-cors',
          headers: { 'content-type': 'text/plain' },
          body: 'stolen,data\n1,2\n',
        });
      }, `${app.url}/api/uploads?name=cross-site.csv`);
      // Refused as anonymous: the session cookie (SameSite=Lax) does not go with another site's POST.
      // The route's own Origin check behind it is tested with a cookie in security.test.ts.
      expect((await answer).status()).toBe(401);
      expect(uploadedFiles()).toEqual(before);
    } finally {
      await page.close();
      site.close();
    }
  });
});

describe('the sign-in page', () => {
  it('signs in at the public address, keeps the session cookie from page scripts, and refuses a wrong password', async () => {
    const account = await createAccount(accountsAuth(fixture.database.db), 'viewer');
    // Without a session: a browser of its own. The public address (localhost on the app's port) is
    // the one origin better-auth accepts sign-ins from.
    const fresh = await launchBrowser();
    try {
      const page = await fresh.context.newPage();
      const publicUrl = `http://localhost:${new URL(app.url).port}`;
      await page.goto(`${publicUrl}/pipelines`);
      expect(new URL(page.url()).pathname).toBe('/sign-in');

      await page.getByLabel('Email').fill(account.email);
      await page.getByLabel('Password').fill('not the password at all');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.locator('.form-error').textContent()).toMatch(/password/i);

      await page.getByLabel('Password').fill(account.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${publicUrl}/`);
      const cookies = await fresh.context.cookies(publicUrl);
      expect(cookies.find((cookie) => cookie.name === 'pipewright.session_token')).toMatchObject({
        httpOnly: true,
        sameSite: 'Lax',
      });
      expect(await page.evaluate(() => document.cookie)).not.toContain('session_token');
    } finally {
      await fresh.close();
    }
  });
});
