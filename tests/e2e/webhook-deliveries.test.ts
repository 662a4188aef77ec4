/**
 * A webhook's delivery log in the editor's Notify panel, in Chromium against the production app: a
 * model alert whose webhook receiver answered 500, 500, then 200, delivered by its Temporal
 * workflow, shows as one delivered delivery with its three attempts; the signing secret is shown on
 * request. Never the URL: the panel names the webhook by its hint.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { displayWebhookUrl, sealWebhookUrl } from '../../config/webhook-url';
import { recordMonitorCheck, syncModelAlerts } from '../../db/queries/monitoring';
import { fanOutPending } from '../../db/queries/notifications';
import { createPipeline } from '../../db/queries/pipelines';
import { ensureModel } from '../../db/queries/registry';
import { notificationDeliveries, notificationSettings, notificationWebhooks, runs } from '../../db/schema';
import { startDeliveryWorkflows } from '../../workflows/notifications/delivery-starter';
import { setUpE2eSession } from '../support/e2e-session';
import type { Fixture } from '../support/fixture';
import { pipelineDoc } from '../support/pipeline-doc';
import { testSecretKey } from '../support/secret-key';

// The receiver listens on loopback; the worker's delivery activity reads this as in production.
vi.hoisted(() => {
  process.env.PIPEWRIGHT_WEBHOOK_ALLOW = '127.0.0.1';
});

let pipelineId = '';
let hint = '';
let receiver: Server | undefined;
let received = 0;

const session = setUpE2eSession({ signedInAs: 'editor', before: deliverAnAlert });

afterAll(() => {
  receiver?.close();
});

/** A receiver answering 500, 500, 200; a monitoring pipeline whose model alert goes to it, delivered. */
async function deliverAnAlert(fixture: Fixture): Promise<void> {
  const { db, sql } = fixture.database;
  const answers = [500, 500];
  let third: () => void = () => {};
  const thirdArrived = new Promise<void>((resolve) => {
    third = resolve;
  });
  receiver = createServer((request, response) => {
    request.resume();
    response.statusCode = answers.shift() ?? 200;
    response.end();
    received++;
    if (received === 3) third();
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  const address = receiver.address();
  if (address === null || typeof address === 'string') throw new Error('not listening on a port');
  const url = `http://127.0.0.1:${address.port}/hooks/alerts/T0123/s3cr3t-token`;

  const created = await createPipeline(db, {
    name: 'Churn monitor',
    graph: pipelineDoc([{ id: 'monitor', type: 'test.source' }], []),
  });
  pipelineId = created.pipeline.id;
  const webhookId = randomUUID();
  hint = displayWebhookUrl(new URL(url));
  await db.insert(notificationSettings).values({ pipelineId, events: ['model_alert', 'run_failed'] });
  await db.insert(notificationWebhooks).values({
    id: webhookId,
    pipelineId,
    sealedUrl: sealWebhookUrl(testSecretKey, webhookId, url),
    display: hint,
  });

  const model = await ensureModel(sql, { name: 'churn', ownerId: null });
  const [run] = await db
    .insert(runs)
    .values({
      pipelineId,
      pipelineVersionId: created.version.id,
      workflowId: `monitor-${randomUUID()}`,
      // The scheduled monitor's run that made the check, finished.
      status: 'succeeded',
      trigger: 'schedule',
      finishedAt: new Date(),
    })
    .returning();
  const thresholds = { psiWarn: 0.1, psiAlert: 0.2 };
  const { id: checkId } = await recordMonitorCheck(sql, {
    runId: run?.id ?? '',
    nodeId: 'monitor',
    modelId: model.id,
    version: 3,
    windowFrom: null,
    windowTo: null,
    referenceRows: 10_000,
    currentRows: 8_400,
    state: 'alert',
    features: [{ feature: 'tenure', kind: 'number', psi: 0.31, state: 'alert', thresholds }],
    modelStats: {},
    performance: null,
  });
  await syncModelAlerts(sql, {
    pipelineId,
    nodeId: 'monitor',
    modelId: model.id,
    checkId,
    subjects: [{ subject: 'tenure', kind: 'drift', state: 'alert' }],
  });
  // What the notifier's pass does: fan out, then start the delivery's workflow (short waits here).
  await fanOutPending(db);
  await startDeliveryWorkflows({
    db,
    temporal: fixture.worker.client,
    taskQueue: fixture.worker.taskQueue,
    retry: { initialIntervalMs: 200, backoffCoefficient: 4, maximumIntervalMs: 5_000, maximumAttempts: 8 },
    log: () => {},
  });
  await thirdArrived;
  await vi.waitFor(
    async () => {
      const [delivery] = await db
        .select({ status: notificationDeliveries.status })
        .from(notificationDeliveries)
        .where(eq(notificationDeliveries.webhookId, webhookId));
      if (delivery?.status !== 'delivered') throw new Error('not delivered yet');
    },
    { timeout: 20_000, interval: 100 },
  );
}

describe('webhook delivery log', () => {
  it('shows a model alert delivered on its third attempt, each attempt with its status, and the signing secret on request', async () => {
    const page = await session.newPage();
    await page.setViewportSize({ width: 1400, height: 1000 });
    await page.goto(`${session.app.url}/pipelines/${pipelineId}`);
    await page.getByRole('button', { name: 'Notify' }).click();
    const panel = page.getByRole('complementary', { name: 'Notifications' });
    await panel.getByText(hint).waitFor();
    await panel.getByText('Deliveries', { exact: true }).click();
    const log = panel.getByRole('list', { name: 'Deliveries' });
    const delivery = log.locator('li').first();
    await delivery.waitFor();
    expect(await delivery.locator('.delivery-event').textContent()).toBe('Model alert');
    expect(await delivery.locator('.delivery-status').textContent()).toBe('delivered');
    expect(await delivery.locator('.delivery-attempts').textContent()).toBe('3 attempts');
    await delivery.locator('summary').click();
    const rows = delivery.locator('tbody tr');
    await rows.nth(2).waitFor();
    const cells = async (index: number) =>
      (await rows.nth(index).locator('td').allTextContents()).filter((_, column) => column !== 1);
    expect((await cells(0)).slice(0, 3)).toEqual(['1', 'answered 500', '500']);
    expect((await cells(1)).slice(0, 3)).toEqual(['2', 'answered 500', '500']);
    expect((await cells(2)).slice(0, 3)).toEqual(['3', 'ok', '200']);

    await panel.getByText('Signing secret', { exact: true }).click();
    await panel.getByRole('button', { name: 'Show secret' }).click();
    await panel.locator('.signing-secret').waitFor();
    expect(await panel.locator('.signing-secret').textContent()).toMatch(/^pwsec_[A-Za-z0-9_-]{43}$/);
    // The URL's secret part is nowhere on the page.
    expect(await panel.textContent()).not.toContain('s3cr3t');

    await session.screenshot(panel, 'webhook-deliveries');
  });

  it("the bell lists the model alert in plain words and links it to the model's Monitoring tab", async () => {
    const page = await session.newPage();
    await page.goto(`${session.app.url}/runs`);
    await page.getByRole('button', { name: 'Notifications: 1 unread' }).click();
    const item = page.locator('.bell-item').first();
    await item.waitFor();
    expect(await item.locator('.bell-event').textContent()).toBe('Model alert');
    expect(await item.locator('.bell-message').textContent()).toBe(
      'Model churn v3: input drift alert on tenure (PSI 0.31, alerts at 0.2)',
    );
    expect(await item.locator('a').getAttribute('href')).toBe('/models/churn?tab=monitoring');
    await session.screenshot(page, 'model-alert-bell');
  });
});
