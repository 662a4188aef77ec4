/**
 * Notifications in Chromium against the production app, signed in as an editor: the bell in the top
 * bar counts unread notifications and lists them (opening it marks them read), and the editor's
 * Notifications panel stores a webhook (shown back as a hint only), an email and the chosen events.
 */
import { describe, expect, it } from 'vitest';
import { createPipeline } from '../../db/queries/pipelines';
import { notifications, runs } from '../../db/schema';
import { setUpE2eSession } from '../support/e2e-session';
import type { Fixture } from '../support/fixture';
import { pipelineDoc } from '../support/pipeline-doc';

let pipelineId: string;
const session = setUpE2eSession({ signedInAs: 'editor', before: seedNotifications });

/** A pipeline, a failed scheduled run of it, and two notifications: a skipped start and a blocked gate. */
async function seedNotifications(fixture: Fixture): Promise<void> {
  const { db } = fixture.database;
  const created = await createPipeline(db, {
    name: 'Nightly churn retraining',
    graph: pipelineDoc(
      [{ id: 'ingest', type: 'ingest', config: { source: 'sample', sample: 'breast_cancer' } }],
      [],
    ),
  });
  pipelineId = created.pipeline.id;
  const [run] = await db
    .insert(runs)
    .values({
      pipelineId,
      pipelineVersionId: created.version.id,
      workflowId: 'notifications-e2e',
      status: 'failed',
      trigger: 'schedule',
    })
    .returning();
  await db.insert(notifications).values([
    {
      event: 'schedule_skipped',
      pipelineId,
      message: 'Schedule "Nightly" skipped 1 start: the previous run was still going (overlap: skip)',
      createdAt: new Date('2026-12-06T06:00:00Z'),
    },
    {
      event: 'gate_blocked',
      pipelineId,
      runId: run?.id,
      message: 'Step "Evaluate" (evaluate) failed: Failed gates: f1 >= 0.9 (measured 0.84)',
      createdAt: new Date('2026-12-07T06:02:00Z'),
    },
  ]);
}

describe('notifications', () => {
  it('the bell counts unread notifications, lists them newest first, and opening it marks them read', async () => {
    const page = await session.newPage();
    await page.goto(`${session.app.url}/runs`);
    const bell = page.getByRole('button', { name: 'Notifications: 2 unread' });
    await bell.waitFor();
    await bell.click();
    const items = page.locator('.bell-item');
    await items.first().waitFor();
    expect(await items.locator('.bell-event').allTextContents()).toEqual([
      'Gate blocked a run',
      'Schedule skipped a start',
    ]);
    expect(await items.first().locator('a').getAttribute('href')).toMatch(
      new RegExp(`^/pipelines/${pipelineId}\\?run=`),
    );
    await session.screenshot(page, 'notifications-bell');
    await page.getByRole('button', { name: 'Notifications', exact: true }).waitFor();
  });

  it("the editor's Notifications panel stores events, a webhook shown as a hint, and an email", async () => {
    const page = await session.newPage();
    await page.goto(`${session.app.url}/pipelines/${pipelineId}`);
    await page.getByRole('button', { name: 'Notify' }).click();
    const panel = page.getByRole('complementary', { name: 'Notifications' });
    await panel.getByLabel('Run failed').check();
    await panel.getByLabel('Gate blocked a run').check();
    await panel
      .getByLabel('Add a webhook URL')
      .fill('https://hooks.example.com/services/T01/B02/verysecrettoken');
    await panel.getByLabel('Email address to add').fill('ops@example.com');
    await panel.getByRole('button', { name: 'Add', exact: true }).click();
    await panel.getByRole('button', { name: 'Save' }).click();
    await panel.getByText('https://hooks.example.com/services/…oken').waitFor();
    expect(await panel.textContent()).not.toContain('verysecret');
    expect(await panel.getByText('ops@example.com').count()).toBe(1);
    await session.screenshot(page, 'notifications-settings');
  });
});
