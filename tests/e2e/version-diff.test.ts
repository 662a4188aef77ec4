/**
 * The version diff page in Chromium against the production app, signed in as a viewer (reading a
 * pipeline is all it needs): reached from the editor's Versions panel, it colours the steps of two
 * versions of the deploy example by what happened to them, lists the changes, and shows a changed
 * step's fields old → new.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createPipeline, saveVersion } from '../../db/queries/pipelines';
import { cellTexts } from '../support/browser';
import { setUpE2eSession } from '../support/e2e-session';
import { firstVersion, secondVersion } from '../support/version-diff-scenario';

let pipelineId: string;
const session = setUpE2eSession({
  signedInAs: 'viewer',
  async before(fixture) {
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
  },
});

/** The ids of the canvas's steps wrapped in this change's class. */
async function stepsMarked(page: Page, kind: string): Promise<string[]> {
  return page
    .locator(`.react-flow__node.diff-${kind}`)
    .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-id') ?? '').sort());
}

describe('version diff page', () => {
  it('opens from the Versions panel and colours added, removed and changed steps and connections', async () => {
    const page = await session.newPage();
    await page.goto(`${session.app.url}/pipelines/${pipelineId}`);
    await page.getByRole('button', { name: 'Versions' }).click();
    await page.getByRole('link', { name: 'Compare with v2' }).waitFor();
    await session.screenshot(page, 'version-diff-versions-panel');
    await page.getByRole('link', { name: 'Compare versions' }).click();
    await page.waitForURL(`${session.app.url}/pipelines/${pipelineId}/diff?from=1&to=2`);
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
    await session.screenshot(page, 'version-diff');
    await page.getByRole('heading', { name: 'Notes' }).scrollIntoViewIfNeeded();
    await session.screenshot(page, 'version-diff-list-end');

    // A changed step lists its fields, old → new.
    await page.locator('.react-flow__node[data-id="split"]').click();
    const changes = page.getByRole('region', { name: 'Changes to Split train/test' });
    await changes.waitFor();
    const rows = await cellTexts(changes.locator('tbody tr'));
    expect(rows).toEqual([
      ['config.seed', '42', '→', '$seed'],
      ['config.testFraction', '0.2', '→', '0.25'],
    ]);
    await session.screenshot(page, 'version-diff-step');
  });

  it('opens a step from the list of changes: a changed one field by field, a removed one as it was', async () => {
    const page = await session.newPage();
    await page.goto(`${session.app.url}/pipelines/${pipelineId}/diff?from=1&to=2`);
    const changes = page.getByRole('complementary', { name: 'Changes' });
    await changes.getByRole('button', { name: /Evaluate/ }).click();
    const evaluate = page.getByRole('region', { name: 'Changes to Evaluate' });
    expect(await cellTexts(evaluate.locator('tbody tr'))).toEqual([
      ['config.gates[0].value', '0.7', '→', '0.8'],
    ]);
    await page.getByRole('button', { name: 'Back to all changes' }).click();
    await changes.getByRole('button', { name: /Deploy/ }).click();
    const deploy = page.getByRole('region', { name: 'Changes to Deploy' });
    await deploy.getByText('In version 1, gone from version 2.').waitFor();
    expect(await deploy.locator('.diff-settings').textContent()).toContain('action"production"');
    expect(await page.locator('.react-flow__node[data-id="deploy"] .step-node.selected').count()).toBe(1);
    await session.screenshot(page, 'version-diff-removed-step');
  });

  it('swaps the versions, and says so when both are the same', async () => {
    const page = await session.newPage();
    await page.goto(`${session.app.url}/pipelines/${pipelineId}/diff?from=1&to=2`);
    await page.getByRole('button', { name: 'Swap the two versions' }).click();
    await page.waitForURL(`${session.app.url}/pipelines/${pipelineId}/diff?from=2&to=1`);
    await page.locator('.react-flow__node.diff-removed[data-id="clip"]').waitFor();
    expect(await stepsMarked(page, 'added')).toEqual(['deploy']);

    await page.getByLabel('From').selectOption('1');
    await page.waitForURL(`${session.app.url}/pipelines/${pipelineId}/diff?from=1&to=1`);
    await page.getByText('Versions 1 and 1 are the same pipeline.').waitFor();
    expect(await page.locator('.react-flow__node.diff-changed').count()).toBe(0);
  });

  it('says which version is not there', async () => {
    // The browser logs the refused request (404) as a console error.
    const page = await session.newPage({ allowErrors: /status of 404/ });
    await page.goto(`${session.app.url}/pipelines/${pipelineId}/diff?from=1&to=9`);
    await page.getByText('Pipeline Churn retraining has no version 9').waitFor();
  });
});
