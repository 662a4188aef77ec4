/**
 * Batch score in Chromium against the production app: a finished run [ingest → split → feature →
 * train, split + train → Batch score] opened on its canvas, the score step's output previewed with
 * its prediction columns, its settings with the PostgreSQL write under Advanced, and the admin's
 * "Allows writes" on a connection.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { customersCsv } from '../support/customer-model';
import { setUpE2eSession } from '../support/e2e-session';
import { pipelineDoc } from '../support/pipeline-doc';
import { runToEnd, savePipeline } from '../support/pipelines';

const run = { pipelineId: '', runId: '' };

const session = setUpE2eSession({
  accounts: { admin: 'ada@batch-score.test' },
  async before(fixture) {
    const uploads = path.join(fixture.worker.dataDir, 'uploads');
    mkdirSync(uploads, { recursive: true });
    writeFileSync(path.join(uploads, 'customers.csv'), customersCsv());
    const { pipeline, version } = await savePipeline(
      fixture.database.db,
      pipelineDoc(
        [
          { id: 'ingest', type: 'ingest', config: { source: 'file', file: 'uploads/customers.csv' } },
          { id: 'split', type: 'split', config: { method: 'stratified', stratifyBy: 'left', seed: 7 } },
          {
            id: 'feature',
            type: 'feature',
            config: {
              operations: [
                { op: 'standardize', columns: ['tenure'] },
                { op: 'one_hot', columns: ['plan'] },
              ],
            },
          },
          {
            id: 'train',
            type: 'train',
            config: {
              target: 'left',
              algorithm: 'decision_tree',
              features: ['tenure', 'plan=basic', 'plan=pro', 'plan=team'],
            },
          },
          { id: 'score', type: 'score', config: {} },
        ],
        [
          'ingest.data->split.data',
          'split.data->feature.data',
          'feature.data->train.data',
          'split.data->score.data',
          'train.model->score.model',
        ],
      ),
      'Churn scoring',
    );
    const { started, result } = await runToEnd(fixture.database.db, fixture.worker, version.id);
    expect(result.status).toBe('succeeded');
    run.pipelineId = pipeline.id;
    run.runId = started.runId;
  },
});

describe('Batch score', () => {
  it("shows the scored rows with their prediction columns, and the step's settings", async () => {
    const page = await session.newPage();
    await session.signIn(page, 'admin', `/pipelines/${run.pipelineId}?run=${run.runId}`);
    await page.getByTestId('run-status').waitFor();
    // An admin's bar (edit tools, the run, four panels, the account) fits 1280 px, the name whole.
    const layout = await page.evaluate(() => ({
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      nameCut: (() => {
        const name = document.querySelector('.pipeline-name');
        return name ? name.scrollWidth - name.clientWidth : Number.NaN;
      })(),
    }));
    expect(layout).toEqual({ overflow: 0, nameCut: 0 });
    await page.locator('.react-flow__node[data-id="score"]').click();
    const output = page.locator('.panel-section', { hasText: 'Output data' });
    await output.getByRole('tab', { name: 'Rows' }).click();
    const headers = output.locator('thead th');
    await output.locator('tbody tr').first().waitFor({ timeout: 30_000 });
    const names = await headers.allTextContents();
    expect(names.join(' ')).toMatch(/prediction.*probability_no.*probability_yes/);
    expect(await output.locator('tbody tr').count()).toBeGreaterThan(10);
    await session.screenshot(page, 'batch-score-output');
    // Its settings, out of the run: the registered model, the PostgreSQL write under Advanced.
    await page.goto(`${session.app.url}/pipelines/${run.pipelineId}`);
    await page.locator('.react-flow__node[data-id="score"]').click();
    await page.locator('.cf-advanced summary').click();
    await page.getByText('Also write to (connection)').waitFor();
    await session.screenshot(page, 'batch-score-settings');
  });

  it('lets an admin allow writes on a stored connection', async () => {
    const page = await session.newPage();
    await session.signIn(page, 'admin', '/admin/connections');
    await page.getByRole('button', { name: 'Add connection' }).click();
    const allow = page.getByRole('checkbox', { name: /Allows writes/ });
    await allow.waitFor();
    expect(await allow.isChecked()).toBe(false);
    await allow.check();
    await session.screenshot(page, 'connection-allows-writes', { fullPage: true });
    await page.getByLabel('Name', { exact: true }).fill('MARTS_DB');
    await page.getByLabel('Host', { exact: true }).fill('warehouse.internal');
    await page.getByLabel('Database', { exact: true }).fill('marts');
    await page.getByLabel('User', { exact: true }).fill('scores_writer');
    await page.locator('form').getByRole('button', { name: 'Add connection' }).click();
    // The list says which connections Batch score may write through.
    const row = page.locator('tr', { hasText: 'MARTS_DB' });
    await row.waitFor();
    expect(await row.textContent()).toContain('writes allowed');
    await session.screenshot(page, 'connections-list-writes', { fullPage: true });
  });
});
