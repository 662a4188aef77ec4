/**
 * Importing a model through the Models page's dialog in Chromium against the production app and
 * the real worker: the skl2onnx fixture is chosen, its graph shown, the columns taken from the
 * sample CSV's header, a wrong label count refused inline, then imported; the new version is
 * listed as imported by the operator. A viewer sees the button disabled, with the reason.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cellTexts } from '../support/browser';
import { setUpE2eSession } from '../support/e2e-session';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/imported');
const OPERATOR = 'olga@import.test';

const session = setUpE2eSession({ accounts: { operator: OPERATOR, viewer: 'vic@import.test' } });

describe('the Import model dialog', () => {
  it('imports the skl2onnx fixture: graph, columns from the sample, labels, an inline refusal, the new version', async () => {
    const page = await session.newPage({ allowErrors: /status of 400/ });
    await page.setViewportSize({ width: 1280, height: 1000 });
    await session.signIn(page, 'operator', '/models');
    await page.getByRole('button', { name: 'Import model' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import a model' });
    await dialog.waitFor();
    expect(await dialog.getByRole('button', { name: 'Read the graph' }).isDisabled()).toBe(true);
    await session.screenshot(page, 'import-dialog-choose');

    await dialog.getByLabel('ONNX file').setInputFiles(path.join(fixtures, 'iris-logreg.onnx'));
    await dialog.getByRole('table').first().waitFor();
    expect(await cellTexts(dialog.locator('table').nth(0).locator('tbody tr'))).toEqual([
      ['float_input', 'float [N, 4]'],
    ]);
    expect(await cellTexts(dialog.locator('table').nth(1).locator('tbody tr'))).toEqual([
      ['output_label', 'string [N]'],
      ['output_probability', 'sequence of mapsrewritten as a probabilities tensor'],
    ]);
    expect(await dialog.getByLabel('Model name').inputValue()).toBe('iris-logreg');
    expect(await dialog.getByLabel('Labels').inputValue()).toBe('setosa, versicolor, virginica');
    // Four unnamed features: nothing to import yet, and the dialog says why a sample matters.
    expect(await dialog.getByRole('button', { name: 'Import' }).isDisabled()).toBe(true);
    await expect
      .poll(() => dialog.locator('.import-note').textContent())
      .toMatch(/^Without a sample, drift monitoring/);
    await session.screenshot(page, 'import-dialog-graph');

    await dialog.getByLabel('Model name').fill('iris');
    await dialog.getByLabel('Sample CSV').setInputFiles(path.join(fixtures, 'iris-sample.csv'));
    await expect.poll(() => dialog.getByLabel('Column 4').inputValue()).toBe('petal_width');
    expect(await dialog.getByLabel('Column 1').inputValue()).toBe('sepal_length');
    expect(await dialog.locator('.import-sample').textContent()).toContain('30 rows');

    await dialog.getByLabel('Labels').fill('setosa, versicolor');
    await dialog.getByRole('button', { name: 'Import' }).click();
    const problem = dialog.getByRole('alert');
    await problem.waitFor();
    expect(await problem.textContent()).toBe(
      'The graph has 3 classes (setosa, versicolor, virginica) but 2 labels were given (setosa, versicolor)',
    );
    await session.screenshot(page, 'import-dialog-error');

    await dialog.getByLabel('Labels').fill('setosa, versicolor, virginica');
    await dialog.getByRole('button', { name: 'Import' }).click();
    const done = page.getByRole('dialog', { name: 'Model imported' });
    await done.waitFor();
    expect(await done.locator('.import-done').textContent()).toBe(
      '✓ registered iris-logreg.onnx is now iris version 1 (setosa, versicolor, virginica).',
    );
    expect(await done.textContent()).toContain(
      `Production now points to it. The ledger says: “Imported from iris-logreg.onnx by ${OPERATOR} (operator); iris had no production version”.`,
    );
    expect(await done.textContent()).toContain('Checked on 30 sample rows');
    await session.screenshot(page, 'import-dialog-done');

    await done.getByRole('link', { name: 'Open iris v1' }).click();
    await page.waitForURL(`${session.app.url}/models/iris`);
    const row = page.locator('.versions-table tbody tr').first();
    await row.waitFor();
    expect(await row.textContent()).toContain(`importedby ${OPERATOR}`);
    await session.screenshot(page, 'import-model-page', { fullPage: true });
  }, 120_000);

  it('shows a viewer the button disabled, saying what it needs', async () => {
    const page = await session.newPage();
    await session.signIn(page, 'viewer', '/models');
    const button = page.getByRole('button', { name: 'Import model' });
    await button.waitFor();
    // The reason shows once the page knows who is signed in.
    await expect
      .poll(() => button.getAttribute('title'))
      .toMatch(/^As a viewer you may not .+: that needs the operator role or higher\.$/);
    expect(await button.isDisabled()).toBe(true);
  });
});
