/**
 * Model alerts reach people: a monitor check that opens an alert records a model_alert
 * notification in the same transaction, and its webhook is sent by a Temporal workflow per
 * delivery (real Temporal, real PostgreSQL, a real local receiver): retried with backoff on 5xx,
 * given up on a final refusal, every attempt logged, every request signed.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../app/_server/auth/actor';
import { recordMonitorCheck, syncModelAlerts } from '../db/queries/monitoring';
import { claimDueDeliveries, fanOutPending } from '../db/queries/notifications';
import { ensureModel } from '../db/queries/registry';
import {
  auditLog,
  notificationDeliveries,
  notificationDeliveryAttempts,
  notifications,
  runs,
} from '../db/schema';
import { type Notifier, startNotifier } from '../workflows/notifications/notifier';
import { accountsAuth, createAccount } from './support/accounts';
import { setUpDatabaseAndWorker } from './support/fixture';
import { pipelineDoc } from './support/pipeline-doc';
import { savePipeline } from './support/pipelines';
import { testSecretKey } from './support/secret-key';
import { testCaller } from './support/services';

// The worker's delivery activity reads these from the environment, as in production.
vi.hoisted(() => {
  process.env.PIPEWRIGHT_WEBHOOK_ALLOW = '127.0.0.1';
  process.env.PIPEWRIGHT_PUBLIC_URL = 'http://pipewright.test';
});

const fixture = setUpDatabaseAndWorker();

interface Received {
  path: string;
  raw: string;
  delivery: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

/** A receiver that answers each path with its queued statuses (200 once they run out). */
class Receiver {
  readonly received: Received[] = [];
  readonly answers = new Map<string, number[]>();
  private waiters: { path: string; count: number; resolve: () => void }[] = [];
  private server = createServer((request, response) => void this.handle(request, response));

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('not listening on a port');
    return `http://127.0.0.1:${address.port}`;
  }

  private async handle(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(Buffer.from(chunk));
    const header = (name: string) => {
      const value = request.headers[name];
      return typeof value === 'string' ? value : undefined;
    };
    const path = request.url ?? '';
    this.received.push({
      path,
      raw: Buffer.concat(chunks).toString('utf8'),
      delivery: header('x-pipewright-delivery'),
      timestamp: header('x-pipewright-timestamp'),
      signature: header('x-pipewright-signature'),
    });
    response.statusCode = this.answers.get(path)?.shift() ?? 200;
    response.end();
    for (const waiter of this.waiters) if (this.on(waiter.path).length >= waiter.count) waiter.resolve();
  }

  on(path: string): Received[] {
    return this.received.filter((request) => request.path === path);
  }

  until(path: string, count: number): Promise<void> {
    if (this.on(path).length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ path, count, resolve }));
  }

  stop() {
    this.server.close();
  }
}

const receiver = new Receiver();
let receiverUrl = '';
let notifier: Notifier;
let editor: Actor;

function startTestNotifier(): Notifier {
  return startNotifier(
    {
      db: fixture.database.db,
      sql: fixture.database.sql,
      secretKey: () => testSecretKey,
      publicUrl: new URL('http://pipewright.test'),
      webhookAllow: ['127.0.0.1'],
      temporal: fixture.worker.client,
      log: () => {},
    },
    {
      pollMs: 100,
      scheduleCheckMs: 3_600_000,
      taskQueue: fixture.worker.taskQueue,
      // Temporal's backoff as in production (×4 each time), on a scale of milliseconds.
      deliveryRetry: {
        initialIntervalMs: 100,
        backoffCoefficient: 4,
        maximumIntervalMs: 2_000,
        maximumAttempts: 8,
      },
    },
  );
}

beforeAll(async () => {
  receiverUrl = await receiver.start();
  const account = await createAccount(accountsAuth(fixture.database.db), 'editor');
  editor = { kind: 'user', userId: account.userId, email: account.email, name: 'Ed', role: 'editor' };
  notifier = startTestNotifier();
});

afterAll(async () => {
  await notifier?.stop();
  receiver.stop();
});

function caller() {
  return testCaller(fixture.database, fixture.worker, editor).caller;
}

/** A monitoring pipeline whose settings send model alerts to the receiver at `path`, and a model. */
async function monitorSetup(path: string) {
  const { pipeline, version } = await savePipeline(
    fixture.database.db,
    pipelineDoc([{ id: 'monitor', type: 'test.source' }], []),
    `Churn monitor ${path}`,
  );
  const saved = await caller().notifications.saveSettings({
    pipelineId: pipeline.id,
    events: ['model_alert'],
    emails: [],
    addWebhooks: [`${receiverUrl}${path}`],
  });
  const webhookId = saved.webhooks[0]?.id ?? '';
  const model = await ensureModel(fixture.database.sql, {
    name: `churn-${randomUUID().slice(0, 6)}`,
    ownerId: null,
  });
  return { pipelineId: pipeline.id, versionId: version.id, webhookId, model };
}

/** A monitor run's check of the model with tenure's PSI, then the step's alert sync. */
async function check(
  setup: Awaited<ReturnType<typeof monitorSetup>>,
  tenure: { psi: number; state: 'ok' | 'warn' | 'alert' },
) {
  const [run] = await fixture.database.db
    .insert(runs)
    .values({
      pipelineId: setup.pipelineId,
      pipelineVersionId: setup.versionId,
      workflowId: `m-${randomUUID()}`,
    })
    .returning();
  const thresholds = { psiWarn: 0.1, psiAlert: 0.2 };
  const { id: checkId } = await recordMonitorCheck(fixture.database.sql, {
    runId: run?.id ?? '',
    nodeId: 'monitor',
    modelId: setup.model.id,
    version: 3,
    windowFrom: null,
    windowTo: null,
    referenceRows: 1000,
    currentRows: 500,
    state: tenure.state,
    features: [
      { feature: 'tenure', kind: 'number', psi: tenure.psi, state: tenure.state, thresholds },
      { feature: 'plan', kind: 'category', psi: 0.01, state: 'ok', thresholds },
    ],
    modelStats: {},
    performance: null,
  });
  return syncModelAlerts(fixture.database.sql, {
    pipelineId: setup.pipelineId,
    nodeId: 'monitor',
    modelId: setup.model.id,
    checkId,
    subjects: [
      { subject: 'tenure', kind: 'drift', state: tenure.state },
      { subject: 'plan', kind: 'drift', state: 'ok' },
    ],
  });
}

async function alertNotifications(pipelineId: string) {
  return fixture.database.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.pipelineId, pipelineId), eq(notifications.event, 'model_alert')))
    .orderBy(asc(notifications.createdAt));
}

async function deliveryOf(notificationId: string) {
  const [delivery] = await fixture.database.db
    .select()
    .from(notificationDeliveries)
    .where(eq(notificationDeliveries.notificationId, notificationId));
  if (!delivery) throw new Error('no delivery');
  return delivery;
}

async function finished(notificationId: string) {
  await expect
    .poll(async () => (await deliveryOf(notificationId)).status, { timeout: 20_000, interval: 100 })
    .not.toBe('pending');
  return deliveryOf(notificationId);
}

function signed(secret: string, request: Received | undefined): boolean {
  const expected = createHmac('sha256', secret).update(`${request?.timestamp}.${request?.raw}`).digest('hex');
  return request?.signature === `sha256=${expected}`;
}

describe('webhook signing secrets', () => {
  it('an editor rotates a secret (audited); requests are then signed with the new one, and a webhook of another pipeline is refused', async () => {
    const setup = await monitorSetup('/rotated');
    const first = await caller().notifications.signingSecret({
      pipelineId: setup.pipelineId,
      webhookId: setup.webhookId,
    });
    expect(first.generation).toBe(1);
    const rotated = await caller().notifications.rotateSigningSecret({
      pipelineId: setup.pipelineId,
      webhookId: setup.webhookId,
    });
    expect(rotated.generation).toBe(2);
    expect(rotated.secret).not.toBe(first.secret);
    const audited = await fixture.database.db
      .select({ action: auditLog.action, details: auditLog.details })
      .from(auditLog)
      .where(eq(auditLog.objectId, setup.pipelineId))
      .orderBy(asc(auditLog.id));
    const display = `${receiverUrl}/rotated`;
    expect(audited.filter((entry) => entry.action.startsWith('pipeline.webhook_secret'))).toEqual([
      { action: 'pipeline.webhook_secret_revealed', details: { webhook: display, generation: 1 } },
      { action: 'pipeline.webhook_secret_rotated', details: { webhook: display, generation: 2 } },
    ]);
    expect(JSON.stringify(audited)).not.toContain('pwsec_');

    await caller().notifications.sendTest({ pipelineId: setup.pipelineId });
    const [test] = receiver.on('/rotated');
    expect(signed(rotated.secret, test)).toBe(true);
    expect(signed(first.secret, test)).toBe(false);

    // A webhook id of another pipeline: not found, and nothing audited.
    const other = await monitorSetup('/other');
    await expect(
      caller().notifications.signingSecret({ pipelineId: setup.pipelineId, webhookId: other.webhookId }),
    ).rejects.toThrow(`No webhook ${other.webhookId} on pipeline ${setup.pipelineId}`);
    await expect(
      caller().notifications.deliveries({ pipelineId: setup.pipelineId, webhookId: other.webhookId }),
    ).rejects.toThrow(`No webhook ${other.webhookId} on pipeline ${setup.pipelineId}`);
    const after = await fixture.database.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.objectId, setup.pipelineId));
    expect(after.filter((entry) => entry.action.startsWith('pipeline.webhook_secret'))).toHaveLength(2);
  });
});

describe('model alert notifications', () => {
  it('an opened alert is told once, sent by Temporal through 500, 500, 200 with each attempt logged and signed', async () => {
    const setup = await monitorSetup('/alerts');
    receiver.answers.set('/alerts', [500, 500]);
    const opened = await check(setup, { psi: 0.31, state: 'alert' });
    expect(opened.opened.map((alert) => alert.subject)).toEqual(['tenure']);

    const [notification, ...more] = await alertNotifications(setup.pipelineId);
    expect(more).toEqual([]);
    expect(notification).toMatchObject({
      alertId: opened.opened[0]?.alertId,
      message: `Model ${setup.model.name} v3: input drift alert on tenure (PSI 0.31, alerts at 0.2)`,
    });
    // The feed links it to the model (its Monitoring tab).
    const feed = await caller().notifications.list({ limit: 5 });
    expect(feed.items[0]).toMatchObject({ event: 'model_alert', modelName: setup.model.name });

    await receiver.until('/alerts', 3);
    const delivery = await finished(notification?.id ?? '');
    expect(delivery).toMatchObject({ status: 'delivered', sentBy: 'temporal', attempts: 3, lastError: null });

    const requests = receiver.on('/alerts');
    expect(requests).toHaveLength(3);
    expect(requests.map((request) => request.delivery)).toEqual([delivery.id, delivery.id, delivery.id]);
    const { secret } = await caller().notifications.signingSecret({
      pipelineId: setup.pipelineId,
      webhookId: setup.webhookId,
    });
    expect(requests.map((request) => signed(secret, request))).toEqual([true, true, true]);
    const modelUrl = `http://pipewright.test/models/${setup.model.name}?tab=monitoring`;
    expect(JSON.parse(requests[2]?.raw ?? '')).toEqual({
      event: 'model_alert',
      title: 'Model alert',
      pipeline: { id: setup.pipelineId, name: 'Churn monitor /alerts' },
      run: { id: notification?.runId, url: expect.stringContaining(`?run=${notification?.runId}`) },
      alert: {
        model: setup.model.name,
        version: 3,
        subject: 'tenure',
        kind: 'drift',
        state: 'alert',
        escalated: false,
        figure: { name: 'psi', value: 0.31, warn: 0.1, alert: 0.2 },
        openedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        url: modelUrl,
      },
      url: modelUrl,
    });

    const attempts = await fixture.database.db
      .select()
      .from(notificationDeliveryAttempts)
      .where(eq(notificationDeliveryAttempts.deliveryId, delivery.id))
      .orderBy(asc(notificationDeliveryAttempts.attempt));
    expect(
      attempts.map(({ attempt, ok, httpStatus, error }) => ({ attempt, ok, httpStatus, error })),
    ).toEqual([
      { attempt: 1, ok: false, httpStatus: 500, error: 'answered 500' },
      { attempt: 2, ok: false, httpStatus: 500, error: 'answered 500' },
      { attempt: 3, ok: true, httpStatus: 200, error: null },
    ]);
    // Temporal waited between attempts, longer the second time (100 ms, then 400 ms).
    const [first, second, third] = attempts.map((attempt) => attempt.at.getTime());
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(90);
    expect((third ?? 0) - (second ?? 0)).toBeGreaterThanOrEqual(380);

    // The panel's log: this delivery, its three attempts; never the URL.
    const log = await caller().notifications.deliveries({
      pipelineId: setup.pipelineId,
      webhookId: setup.webhookId,
    });
    expect(log.deliveries.map((row) => [row.event, row.status, row.attempts.length])).toEqual([
      ['model_alert', 'delivered', 3],
    ]);
    expect(JSON.stringify(log)).not.toContain(receiverUrl);

    // The condition continues: the alert is kept, and nothing new is told.
    const kept = await check(setup, { psi: 0.33, state: 'alert' });
    expect(kept.kept.map((alert) => alert.subject)).toEqual(['tenure']);
    expect(await alertNotifications(setup.pipelineId)).toHaveLength(1);
  });

  it('a warning that rises to alert is told again, a kept warning is not', async () => {
    const setup = await monitorSetup('/escalations');
    await check(setup, { psi: 0.15, state: 'warn' });
    await check(setup, { psi: 0.16, state: 'warn' });
    await check(setup, { psi: 0.27, state: 'alert' });
    const told = await alertNotifications(setup.pipelineId);
    expect(told.map((row) => row.message)).toEqual([
      `Model ${setup.model.name} v3: input drift warning on tenure (PSI 0.15, warns at 0.1)`,
      `Model ${setup.model.name} v3: input drift alert on tenure (PSI 0.27, alerts at 0.2) (rose from warning)`,
    ]);
    await receiver.until('/escalations', 2);
  });

  it('a receiver that answers 410 ends the delivery failed after one attempt', async () => {
    const setup = await monitorSetup('/gone');
    receiver.answers.set('/gone', [410]);
    await check(setup, { psi: 0.4, state: 'alert' });
    const [notification] = await alertNotifications(setup.pipelineId);
    const delivery = await finished(notification?.id ?? '');
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, lastError: 'answered 410' });
    expect(receiver.on('/gone')).toHaveLength(1);
    const attempts = await fixture.database.db
      .select()
      .from(notificationDeliveryAttempts)
      .where(eq(notificationDeliveryAttempts.deliveryId, delivery.id));
    expect(attempts.map(({ ok, httpStatus }) => ({ ok, httpStatus }))).toEqual([
      { ok: false, httpStatus: 410 },
    ]);
  });

  it('the notifier never sends a Temporal-owned delivery itself, and one left unstarted is started by the next pass', async () => {
    // No notifier runs while the alert is fanned out: as if one died between fan-out and start.
    await notifier.stop();
    let setup: Awaited<ReturnType<typeof monitorSetup>>;
    let notificationId = '';
    try {
      setup = await monitorSetup('/later');
      await check(setup, { psi: 0.5, state: 'alert' });
      const [notification] = await alertNotifications(setup.pipelineId);
      notificationId = notification?.id ?? '';
      await fanOutPending(fixture.database.db);
      const delivery = await deliveryOf(notificationId);
      expect(delivery).toMatchObject({ sentBy: 'temporal', status: 'pending', workflowStartedAt: null });
      // The notifier's own loop claims none of it.
      const claimed = await claimDueDeliveries(fixture.database.db, {
        limit: 100,
        leaseMs: 0,
        maxAttempts: 8,
      });
      expect(claimed.map((due) => due.id)).not.toContain(delivery.id);
      expect(await deliveryOf(notificationId)).toMatchObject({ attempts: 0, status: 'pending' });
      expect(receiver.on('/later')).toEqual([]);
    } finally {
      notifier = startTestNotifier();
    }
    const delivered = await finished(notificationId);
    expect(delivered).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(delivered.workflowStartedAt).toBeInstanceOf(Date);
    expect(receiver.on('/later')).toHaveLength(1);
  });
});
