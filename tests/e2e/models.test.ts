/**
 * The Models pages in Chromium against the production app and a real serving process (`npm run
 * serve`, serving/main.ts): the flow (the classification example with a deploy node, run by
 * an operator, shows version 1 in production on the Models page, and the Try it form predicts), and
 * over a seeded registry the list with its filters, promote with a reason behind a confirmation, the
 * ledger, the snippets, a viewer's disabled controls, and Try it's sentence when serving is down.
 */
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { promoteVersion } from '../../runtime/models/promotion';
import { cellTexts } from '../support/browser';
import { setUpE2eSession } from '../support/e2e-session';
import { seedModel } from '../support/models';
import { type ServingProcess, startServingProcess } from '../support/serving-process';

let serving: ServingProcess;
const session = setUpE2eSession({
  accounts: { operator: 'ops@models.test', viewer: 'vic@models.test' },
  async before(fixture) {
    // The same installation secret as the app (tests/support/web-app.ts): serving checks the app's
    // internal credentials with it.
    serving = await startServingProcess(fixture.database.url);
    process.env.PIPEWRIGHT_SERVE_URL = serving.url;
  },
});
const { fixture } = session;
const projectDir = path.resolve(import.meta.dirname, '..', '..');

afterAll(async () => {
  await serving?.stop();
  delete process.env.PIPEWRIGHT_SERVE_URL;
});

/** Two models written straight into the registry: churn (3 versions, v2 in production) and house-price. */
async function seedRegistry(): Promise<void> {
  const { sql, db } = fixture.database;
  await seedModel(
    sql,
    'churn',
    [
      { metrics: { accuracy: 0.812, f1: 0.701, precision: 0.74, recall: 0.66 } },
      { metrics: { accuracy: 0.861, f1: 0.744, precision: 0.78, recall: 0.71 } },
      { metrics: { accuracy: 0.893, f1: 0.802, precision: 0.81, recall: 0.79 } },
    ],
    { description: 'Which customers leave next month' },
  );
  await sql`insert into model_tags (model_id, tag) select id, 'retail' from registered_models where name = 'churn'`;
  await seedModel(sql, 'house-price', [{ metrics: { r2: 0.72, rmse: 31_200, mae: 22_010 } }]);
  const by = {
    ledger: { actorKind: 'cli' as const, actorId: null, actorEmail: 'ops@models.test' },
    audit: { actorKind: 'cli' as const, actorId: null, actorEmail: 'ops@models.test' },
  };
  await promoteVersion(
    { sql, db },
    { model: 'churn', version: 1, alias: 'production', reason: 'First model that passed the gates' },
    by,
  );
  await promoteVersion(
    { sql, db },
    { model: 'churn', version: 2, alias: 'production', reason: 'Better recall on the March data' },
    by,
  );
}

describe('Models pages', () => {
  it('says how a model gets here while there is none', async () => {
    const page = await session.newPage();
    await session.signIn(page, 'operator', '/models');
    await page.getByRole('heading', { name: 'No models yet' }).waitFor();
    expect(await page.locator('.empty-state').textContent()).toContain('add a Deploy node after Evaluate');
    await session.screenshot(page, 'models-empty');
    await seedRegistry();
  });

  it('lists models with their aliases and headline metric, and filters by text, alias and tag', async () => {
    const page = await session.newPage();
    await session.signIn(page, 'operator', '/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Models' }).click();
    await page.waitForURL(`${session.app.url}/models`);
    await page.getByRole('link', { name: 'churn' }).waitFor();
    const rows = await cellTexts(page.locator('.models-table tbody tr'));
    // Most recently changed first: churn's promotions came after house-price was registered.
    expect(rows.map((row) => row.slice(1, 5))).toEqual([
      ['v2', '–', '0.861 Accuracy · v2', '3'],
      ['–', '–', '–', '1'],
    ]);
    expect(rows[0]?.[0]).toContain('Which customers leave next month');
    await session.screenshot(page, 'models-list', { fullPage: true });

    await page.getByLabel('Search models').fill('house');
    await expect.poll(async () => (await cellTexts(page.locator('.models-table tbody tr'))).length).toBe(1);
    await page.getByLabel('Search models').fill('');
    await page.getByLabel('Alias').selectOption('production');
    await expect
      .poll(async () => (await cellTexts(page.locator('.models-table tbody tr'))).map((row) => row[1]))
      .toEqual(['v2']);
    await page.getByLabel('Alias').selectOption('');
    await page.getByRole('button', { name: 'retail' }).click();
    await expect.poll(async () => (await cellTexts(page.locator('.models-table tbody tr'))).length).toBe(1);
    await page.getByLabel('Search models').fill('nothing like this');
    await page.getByText('No model matches').waitFor();
  });

  it('promotes a version with a reason after a confirmation, and shows it in the ledger', async () => {
    const page = await session.newPage();
    await page.goto(`${session.app.url}/models/churn`);
    await page.getByRole('heading', { name: 'churn', level: 1 }).waitFor();
    const versions = await cellTexts(page.locator('.versions-table tbody tr'));
    expect(versions.map((row) => row[0])).toEqual(['v3logistic', 'v2productionlogistic', 'v1logistic']);
    expect(versions[0]?.slice(1, 5)).toEqual(['0.893', '0.802', '0.81', '0.79']);
    await page.getByRole('tab', { name: 'Python' }).click();
    const python = await page.getByRole('tabpanel', { name: 'python snippet' }).textContent();
    expect(python).toContain(`"${serving.url}/api/v1/models/churn/predict"`);
    expect(python).toContain("os.environ['PIPEWRIGHT_API_KEY']");
    await page.getByRole('tab', { name: 'curl' }).click();
    await session.screenshot(page, 'model-page', { fullPage: true });

    await page.locator('.versions-table tbody tr').first().getByRole('button', { name: 'Promote…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Promote version 3' });
    await dialog.getByText('churn production goes from version 2 to version 3.').waitFor();
    const confirm = dialog.getByRole('button', { name: 'Promote to production' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Reason').fill('Higher F1 on the April holdout');
    await session.screenshot(page, 'model-promote-dialog');
    await confirm.click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('.alias-card-production .alias-card-version', { hasText: 'v3' }).waitFor();
    await page.locator('.ledger-entry').first().getByText('Higher F1 on the April holdout').waitFor();
    const [row] = await fixture.database.sql<{ reason: string; actor_email: string; to_version: number }[]>`
      select reason, actor_email, to_version from promotion_ledger order by id desc limit 1`;
    expect(row).toEqual({
      reason: 'Higher F1 on the April holdout',
      actor_email: 'ops@models.test',
      to_version: 3,
    });

    // Roll back: production returns to the version before, with its own reason.
    await page.locator('.alias-card-production').getByRole('button', { name: 'Roll back…' }).click();
    const rollback = page.getByRole('dialog', { name: 'Roll production back to version 2' });
    await rollback.getByText('churn production goes from version 3 back to version 2.').waitFor();
    await rollback.getByLabel('Reason').fill('Support tickets doubled after v3');
    await rollback.getByRole('button', { name: 'Roll back' }).click();
    await rollback.waitFor({ state: 'detached' });
    await page.locator('.alias-card-production .alias-card-version', { hasText: 'v2' }).waitFor();
    await page.locator('.ledger-entry').first().getByText('Support tickets doubled after v3').waitFor();
    expect(await page.locator('.ledger-entry .ledger-head strong').allTextContents()).toEqual([
      'v3 → v2',
      'v2 → v3',
      'v1 → v2',
      'none → v1',
    ]);

    // Editors and up edit the description and tags.
    await page.getByRole('button', { name: 'Edit description and tags' }).click();
    await page.getByLabel('Tags').fill('retail, weekly');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.model-head .model-tag', { hasText: 'weekly' }).waitFor();
    expect(await page.locator('.model-head .model-tag').allTextContents()).toEqual(['retail', 'weekly']);
  });

  it('shows a viewer the controls disabled, with the reason in their tooltip', async () => {
    const page = await session.newPage();
    await session.signIn(page, 'viewer', '/models/churn');
    await page.getByRole('heading', { name: 'churn', level: 1 }).waitFor();
    const promote = page
      .locator('.versions-table tbody tr')
      .first()
      .getByRole('button', { name: 'Promote…' });
    await promote.waitFor();
    expect(await promote.isDisabled()).toBe(true);
    expect(await promote.getAttribute('title')).toBe(
      'As a viewer you may not promote models: that needs the operator role or higher.',
    );
    const rollback = page.locator('.alias-card-production').getByRole('button', { name: 'Roll back…' });
    expect(await rollback.isDisabled()).toBe(true);
    const edit = page.getByRole('button', { name: 'Edit description and tags' });
    expect(await edit.isDisabled()).toBe(true);
    expect(await edit.getAttribute('title')).toBe(
      "Editing a model's description and tags needs the editor role or higher.",
    );
    await session.screenshot(page, 'model-page-viewer', { fullPage: true });
  });
  it('runs the classification example with a deploy node, shows version 1 in production, and predicts in Try it', async () => {
    // The browser logs the 400 of the invalid prediction below itself; nothing else may fail.
    const page = await session.newPage({ allowErrors: /status of 400/ });
    await session.signIn(page, 'operator', '/');
    // examples/deploy.pipeline.json is the classification template with a Deploy node after Evaluate.
    await page.setInputFiles('input[type=file]', path.join(projectDir, 'examples', 'deploy.pipeline.json'));
    await page.waitForURL(/\/pipelines\/[0-9a-f-]{36}$/);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const upload = path.join(fixture.worker.dataDir, 'breast_cancer.csv');
    copyFileSync(path.join(projectDir, 'nodes', 'ingest', 'samples', 'breast_cancer.csv'), upload);
    await page.setInputFiles('#run-param-dataset', upload);
    await page.getByText('uploads/', { exact: false }).waitFor();
    await page.fill('#run-param-target', 'target');
    await page.fill('#run-param-model', 'cancer');
    await session.screenshot(page, 'run-dialog-parameters');
    await page.getByRole('button', { name: 'Start run' }).click();
    await expect
      .poll(() => page.getByTestId('run-status').textContent(), { timeout: 240_000, interval: 1000 })
      .toBe('succeeded');

    // The editor is full-screen, without the top navigation.
    await page.goto(`${session.app.url}/models`);
    await page.getByRole('link', { name: 'cancer' }).waitFor();
    const cancer = (await cellTexts(page.locator('.models-table tbody tr'))).find((row) =>
      row[0]?.startsWith('cancer'),
    );
    expect(cancer?.slice(1, 3)).toEqual(['v1', '–']);
    expect(cancer?.[3]).toMatch(/^0\.9\d* Accuracy · v1$/);
    await session.screenshot(page, 'models-list-after-deploy', { fullPage: true });

    await page.getByRole('link', { name: 'cancer' }).click();
    await page.getByRole('heading', { name: 'cancer', level: 1 }).waitFor();
    const versions = await cellTexts(page.locator('.versions-table tbody tr'));
    expect(versions).toHaveLength(1);
    expect(versions[0]?.[0]).toMatch(/^v1\s*production/);
    expect(versions[0]?.join(' ')).toMatch(/Run [0-9a-f]{8}/);
    await page.getByText('Asks production (version 1).').waitFor();
    await page.getByLabel('mean_radius').fill('11.2');
    await page.getByLabel('worst_area').fill('420');
    await page.getByRole('button', { name: 'Predict' }).click();
    const bars = page.getByRole('list', { name: 'Class probabilities' });
    await bars.waitFor({ timeout: 30_000 });
    expect(await bars.locator('.probability-value').count()).toBe(2);
    expect(await page.locator('.try-meta').textContent()).toMatch(/^cancer version 1 · request [0-9a-f]{8}/);
    expect(['0', '1']).toContain(await page.locator('.try-label').textContent());
    await session.screenshot(page, 'model-page-try-it', { fullPage: true });

    // A number that is not one: serving's validation names the column, shown beside the field.
    await page.getByLabel('mean_radius').fill('eleven');
    await page.getByRole('button', { name: 'Predict' }).click();
    await page.locator('.try-problems').getByText('rows[0].mean_radius').waitFor();
    await page.locator('.try-field-invalid').getByText('mean_radius').waitFor();
    await session.screenshot(page.getByRole('region', { name: 'Try it' }), 'model-try-it-invalid');
  }, 400_000);

  it('says in a sentence when the serving process does not answer', async () => {
    await serving.stop();
    const page = await session.newPage({ allowErrors: /status of 503/ });
    await page.goto(`${session.app.url}/models/cancer`);
    await page.getByRole('button', { name: 'Predict' }).click();
    await page
      .getByText(`The serving process at ${serving.url} does not answer; is \`npm run serve\` running?`)
      .waitFor();
  });
});
