/**
 * The set-up every browser test file shares: a database and a worker of its own
 * (setUpDatabaseAndWorker), accounts of the roles it names, whatever it writes before the app starts,
 * the production app and Chromium; and the pages a test opens, checked for errors and closed after it.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { type Role, roles } from '../../access/roles';
import type { RunningApp } from '../../runtime/launcher/web-app';
import { accountsAuth, browserCookie, createAccount, signedInAs } from './accounts';
import { type Browser, launchBrowser, watchPageErrors } from './browser';
import { type Fixture, setUpDatabaseAndWorker } from './fixture';
import { startWebApp } from './web-app';

/** Where browser tests leave their screenshots (docs/history keeps a chosen few). */
const SCREENSHOTS = path.resolve(import.meta.dirname, '..', '..', '.data', 'e2e-screenshots');

/** Every account a session creates signs in with this password. */
const PASSWORD = 'a long enough password';

export interface E2eSessionOptions {
  /** The accounts to create, their address by role, for signIn. */
  accounts?: Partial<Record<Role, string>>;
  /**
   * Runs before the app starts: what the pages should show (pipelines, runs, notifications), or a
   * process the app talks to.
   */
  before?: (fixture: Fixture) => Promise<void>;
  /** The browser starts signed in as a new account of this role (a session cookie, no sign-in page). */
  signedInAs?: Role;
}

export interface E2eSession {
  readonly fixture: Fixture;
  readonly app: RunningApp;
  readonly browser: Browser;
  /**
   * A new page in the session's browser. After the test it is closed, and the test fails if the
   * page threw or logged an error (a broken page often still shows what a test looks for), except
   * those `allowErrors` lets through: all (`true`), or those it matches (a refused request the test
   * provokes is logged as a console error: /status of 400/).
   */
  newPage(options?: { allowErrors?: true | RegExp }): Promise<Page>;
  /**
   * Signs the page's browser in through the sign-in page as the account of this role, replacing any
   * session it had, and waits for `next`.
   */
  signIn(page: Page, role: Role, next: string): Promise<void>;
  /** A screenshot of the page (its viewport, or `fullPage`) or of one element, in SCREENSHOTS as `name`.png. */
  screenshot(target: Page | Locator, name: string, options?: { fullPage?: boolean }): Promise<void>;
}

interface OpenPage {
  page: Page;
  errors: string[];
  allowErrors: true | RegExp | undefined;
}

/** The errors a test did not say it provokes. */
function unexpected({ errors, allowErrors }: OpenPage): string[] {
  if (allowErrors === true) return [];
  return errors.filter((error) => !allowErrors?.test(error));
}

/** Registers the file's beforeAll, afterEach and afterAll hooks; call it at the top of the file. */
export function setUpE2eSession(options: E2eSessionOptions = {}): E2eSession {
  const fixture = setUpDatabaseAndWorker();
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  const open: OpenPage[] = [];

  beforeAll(async () => {
    const auth = accountsAuth(fixture.database.db);
    for (const role of roles) {
      const email = options.accounts?.[role];
      if (email !== undefined) await createAccount(auth, role, { email, password: PASSWORD });
    }
    await options.before?.(fixture);
    app = await startWebApp(fixture);
    browser = await launchBrowser();
    if (options.signedInAs) {
      const account = await signedInAs(auth, options.signedInAs);
      await browser.context.addCookies([browserCookie(account.cookie, app.url)]);
    }
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 600_000);

  afterEach(async () => {
    const pages = open.splice(0);
    for (const each of pages) await each.page.close();
    for (const each of pages) expect(unexpected(each)).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const session: E2eSession = {
    fixture,
    get app() {
      if (!app) throw new Error('the app is used before beforeAll ran');
      return app;
    },
    get browser() {
      if (!browser) throw new Error('the browser is used before beforeAll ran');
      return browser;
    },
    async newPage({ allowErrors } = {}) {
      const page = await session.browser.context.newPage();
      open.push({ page, errors: watchPageErrors(page), allowErrors });
      return page;
    },
    async signIn(page, role, next) {
      const email = options.accounts?.[role];
      if (email === undefined) throw new Error(`the session has no ${role} account: name it in accounts`);
      await page.context().clearCookies();
      await page.goto(`${session.app.url}/sign-in?next=${encodeURIComponent(next)}`);
      await page.fill('input[name=email]', email);
      await page.fill('input[name=password]', PASSWORD);
      await page.click('button[type=submit]');
      await page.waitForURL(`${session.app.url}${next}`);
    },
    async screenshot(target, name, { fullPage = false } = {}) {
      const file = path.join(SCREENSHOTS, `${name}.png`);
      await ('goto' in target
        ? target.screenshot({ path: file, fullPage })
        : target.screenshot({ path: file }));
    },
  };
  return session;
}
