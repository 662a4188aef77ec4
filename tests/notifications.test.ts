/**
 * Notifications end to end: real runs on a real worker and Temporal end failed or gate-blocked; the
 * notifier (as the worker process starts it) posts to a real local HTTP server standing for the
 * webhook receiver, and sends email to a real local SMTP server; the app's feed shows the event.
 */
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { and, eq } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../app/_server/auth/actor';
import {
  claimDueDeliveries,
  recordDeliveryAttempt,
  UNRECORDED_ATTEMPTS_ERROR,
} from '../db/queries/notifications';
import {
  auditLog,
  notificationDeliveries,
  notificationDeliveryAttempts,
  notifications,
  notificationWebhooks,
  runs,
  scheduleNotificationCounts,
} from '../db/schema';
import { type Notifier, type NotifierDeps, startNotifier } from '../workflows/notifications/notifier';
import { checkScheduleCounts } from '../workflows/notifications/schedule-watch';
import { createSchedule, pauseSchedule, type ScheduleActor } from '../workflows/schedules/schedule-service';
import { temporalScheduleId } from '../workflows/schedules/temporal-schedule';
import { accountsAuth, createAccount } from './support/accounts';
import { setUpDatabaseAndWorker } from './support/fixture';
import { specOfWithTestNodes } from './support/nodes/specs';
import { pipelineDoc } from './support/pipeline-doc';
import { runToEnd, savePipeline } from './support/pipelines';
import { testSecretKey } from './support/secret-key';
import { testCaller } from './support/services';
import { rejection } from './support/trpc-rejection';

// The receivers below listen on loopback, which webhooks reach only when the installation allows it;
// set before the app's environment is read on import.
vi.hoisted(() => {
  process.env.PIPEWRIGHT_WEBHOOK_ALLOW = '127.0.0.1';
});

const fixture = setUpDatabaseAndWorker();

function portOf(server: Server | SMTPServer['server']): number {
  const address = server.address();
  if (address === null || typeof address === 'string')
    throw new Error('the server is not listening on a port');
  return address.port;
}

/** A message's text as written, quoted-printable undone (long lines and '=' are encoded). */
function decoded(text: string): string {
  return text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

interface Received {
  path: string;
  body: unknown;
  /** The X-Pipewright-Delivery header. */
  delivery: string | undefined;
  /** The body as sent, and X-Pipewright-Timestamp and -Signature: what a receiver checks. */
  raw: string;
  timestamp: string | undefined;
  signature: string | undefined;
}

/**
 * A webhook receiver: answers each request with the next status of `answers` (200 once they run
 * out) and hands every request to whoever waits for it, so tests wait on events, not on time.
 */
class Receiver {
  readonly received: Received[] = [];
  answers: number[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];
  private server: Server = createServer((request, response) => void this.handle(request, response));

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${portOf(this.server)}`;
  }

  private async handle(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(Buffer.from(chunk));
    const header = (name: string) => {
      const value = request.headers[name];
      return typeof value === 'string' ? value : undefined;
    };
    const raw = Buffer.concat(chunks).toString('utf8');
    this.received.push({
      path: request.url ?? '',
      body: JSON.parse(raw),
      delivery: header('x-pipewright-delivery'),
      raw,
      timestamp: header('x-pipewright-timestamp'),
      signature: header('x-pipewright-signature'),
    });
    response.statusCode = this.answers.shift() ?? 200;
    response.end();
    for (const waiter of this.waiters.filter((w) => this.received.length >= w.count)) waiter.resolve();
  }

  /** Resolves once `count` requests in all have arrived. */
  until(count: number): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  stop() {
    this.server.close();
  }
}

/** A tiny SMTP server that keeps each message's recipients and text. */
class MailBox {
  readonly messages: { to: string[]; text: string }[] = [];
  private waiters: (() => void)[] = [];
  private server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        this.messages.push({
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          text: Buffer.concat(chunks).toString('utf8'),
        });
        for (const waiter of this.waiters.splice(0)) waiter();
        callback();
      });
    },
  });

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server.server, 'listening');
    return `smtp://127.0.0.1:${portOf(this.server.server)}`;
  }

  next(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  stop() {
    this.server.close();
  }
}

const receiver = new Receiver();
const mailbox = new MailBox();
let receiverUrl = '';
let notifier: Notifier;
let editor: Actor;
const createdSchedules: string[] = [];

beforeAll(async () => {
  receiverUrl = await receiver.start();
  const smtpUrl = await mailbox.start();
  const account = await createAccount(accountsAuth(fixture.database.db), 'editor');
  editor = { kind: 'user', userId: account.userId, email: account.email, name: 'Ed', role: 'editor' };
  notifierDeps = {
    db: fixture.database.db,
    sql: fixture.database.sql,
    secretKey: () => testSecretKey,
    publicUrl: new URL('http://pipewright.test'),
    webhookAllow: ['127.0.0.1'],
    email: { smtpUrl, from: 'Pipewright <pipewright@example.test>' },
    temporal: fixture.worker.client,
    log: () => {},
  };
  notifier = startTestNotifier();
});

let notifierDeps: NotifierDeps;
function startTestNotifier(): Notifier {
  return startNotifier(notifierDeps, { pollMs: 100, retryBaseMs: 50, scheduleCheckMs: 3_600_000 });
}

afterAll(async () => {
  // Schedules outlive the test in the shared Temporal server unless deleted.
  for (const id of createdSchedules)
    await fixture.worker.client.schedule
      .getHandle(temporalScheduleId(id))
      .delete()
      .catch(() => {});
  await notifier?.stop();
  receiver.stop();
  mailbox.stop();
});

function caller(actor: Actor = editor) {
  return testCaller(fixture.database, fixture.worker, actor).caller;
}

const failing = pipelineDoc(
  [
    { id: 'a', type: 'test.source' },
    {
      id: 'bad',
      type: 'test.transform',
      config: { failAlways: true, failMessage: 'Column "price" is missing' },
    },
  ],
  ['a.out->bad.in'],
);

describe('notifications', () => {
  it('a failed run posts one signed webhook with its event, pipeline, run and link but not its error text, emails, and shows in the feed', async () => {
    const { pipeline, version } = await savePipeline(fixture.database.db, failing, 'Nightly retraining');
    const saved = await caller().notifications.saveSettings({
      pipelineId: pipeline.id,
      events: ['run_failed', 'gate_blocked'],
      emails: ['Ada@Example.test'],
      addWebhooks: [`${receiverUrl}/hooks/T000/B000/s3cr3t-token`],
    });
    // Shown back as a hint only: the secret part of the path never comes back.
    expect(saved.webhooks).toEqual([{ id: expect.any(String), display: `${receiverUrl}/hooks/…oken` }]);
    expect(JSON.stringify(saved)).not.toContain('s3cr3t');
    const [stored] = await fixture.database.db.select().from(notificationWebhooks);
    expect(stored?.sealedUrl.toString('latin1')).not.toContain('s3cr3t');
    // The audit entry shows the addresses masked and the webhook as its hint.
    const [changed] = await fixture.database.db
      .select({ details: auditLog.details })
      .from(auditLog)
      .where(and(eq(auditLog.action, 'pipeline.notifications_changed'), eq(auditLog.objectId, pipeline.id)));
    expect(changed?.details).toMatchObject({
      emails: ['a***@example.test'],
      addedWebhooks: [`${receiverUrl}/hooks/…oken`],
    });
    expect(JSON.stringify(changed?.details)).not.toMatch(/ada@|s3cr3t/i);

    const before = receiver.received.length;
    const mail = mailbox.next();
    const { started, result } = await runToEnd(fixture.database.db, fixture.worker, version.id);
    expect(result.status).toBe('failed');
    await receiver.until(before + 1);
    await mail;

    const posted = receiver.received[before];
    expect(posted?.path).toBe('/hooks/T000/B000/s3cr3t-token');
    // Each delivery names itself, so a receiver can drop a repeat (delivery is at least once).
    const deliveries = await fixture.database.db
      .select({ id: notificationDeliveries.id, channel: notificationDeliveries.channel })
      .from(notificationDeliveries)
      .innerJoin(notifications, eq(notifications.id, notificationDeliveries.notificationId))
      .where(eq(notifications.runId, started.runId));
    expect(posted?.delivery).toBe(deliveries.find((row) => row.channel === 'webhook')?.id);
    // Signed with the webhook's secret, as its receiver checks: HMAC-SHA256 of "<timestamp>.<body>".
    const webhookId = saved.webhooks[0]?.id ?? '';
    const { secret } = await caller().notifications.signingSecret({ pipelineId: pipeline.id, webhookId });
    const expected = createHmac('sha256', secret).update(`${posted?.timestamp}.${posted?.raw}`).digest('hex');
    expect(posted?.signature).toBe(`sha256=${expected}`);
    const runUrl = `http://pipewright.test/pipelines/${pipeline.id}?run=${started.runId}`;
    // The run's error text stays in the app: it may quote SQL, file names or data.
    expect(posted?.body).toEqual({
      event: 'run_failed',
      title: 'Run failed',
      pipeline: { id: pipeline.id, name: 'Nightly retraining' },
      run: { id: started.runId, url: runUrl },
      url: runUrl,
    });
    const email = mailbox.messages.at(-1);
    expect(email?.to).toEqual(['ada@example.test']);
    expect(email?.text).toContain('Subject: [Pipewright] Run failed: Nightly retraining');
    expect(email?.text).toContain(
      `X-Pipewright-Delivery: ${deliveries.find((row) => row.channel === 'email')?.id}`,
    );
    expect(decoded(email?.text ?? '')).toContain(runUrl);
    expect(decoded(email?.text ?? '')).not.toContain('price');

    const feed = await caller().notifications.list({ limit: 10 });
    expect(feed.items[0]).toMatchObject({
      event: 'run_failed',
      pipelineId: pipeline.id,
      pipelineName: 'Nightly retraining',
      runId: started.runId,
      message: expect.stringContaining('Column "price" is missing'),
      read: false,
    });
    expect(feed.unread).toBeGreaterThanOrEqual(1);
    await caller().notifications.markRead();
    expect((await caller().notifications.list({ limit: 10 })).unread).toBe(0);
  });

  it('a failed gate notifies gate_blocked, with the gate in the feed message and not in the body', async () => {
    const doc = pipelineDoc(
      [
        { id: 'ingest', type: 'ingest', config: { source: 'sample', sample: 'breast_cancer' } },
        { id: 'split', type: 'split', config: { method: 'stratified', stratifyBy: 'target' } },
        { id: 'train', type: 'train', config: { target: 'target', algorithm: 'decision_tree', maxDepth: 3 } },
        {
          id: 'evaluate',
          type: 'evaluate',
          // No useful model has an f1 this low: the gate fails.
          config: { gates: [{ metric: 'f1', operator: '<=', value: 0.01 }] },
        },
      ],
      [
        'ingest.data->split.data',
        'split.data->train.data',
        'train.model->evaluate.model',
        'split.data->evaluate.data',
      ],
    );
    const { pipeline, version } = await savePipeline(fixture.database.db, doc, 'Gated');
    await caller().notifications.saveSettings({
      pipelineId: pipeline.id,
      events: ['gate_blocked'],
      emails: [],
      addWebhooks: [`${receiverUrl}/gated`],
    });
    const before = receiver.received.length;
    const { started, result } = await runToEnd(fixture.database.db, fixture.worker, version.id);
    expect(result.status).toBe('failed');
    await receiver.until(before + 1);
    const posted = receiver.received.slice(before).find((request) => request.path === '/gated');
    expect(posted?.body).toMatchObject({
      event: 'gate_blocked',
      title: 'Gate blocked a run',
      run: { id: started.runId },
    });
    expect(JSON.stringify(posted?.body)).not.toContain('Failed gates');
    const [recorded] = await fixture.database.db
      .select({ message: notifications.message })
      .from(notifications)
      .where(eq(notifications.runId, started.runId));
    expect(recorded?.message).toContain('Failed gates: f1 <= 0.01');
  });

  it('an event the settings do not choose reaches the feed but no webhook', async () => {
    const { pipeline, version } = await savePipeline(fixture.database.db, failing, 'Quiet');
    await caller().notifications.saveSettings({
      pipelineId: pipeline.id,
      events: ['gate_blocked'],
      emails: [],
      addWebhooks: [`${receiverUrl}/quiet`],
    });
    const { started } = await runToEnd(fixture.database.db, fixture.worker, version.id);
    const [row] = await fixture.database.db
      .select()
      .from(notifications)
      .where(eq(notifications.runId, started.runId));
    expect(row?.event).toBe('run_failed');
    // The notifier wakes on the notification; once it has fanned it out, its deliveries exist.
    await expect
      .poll(async () => {
        const [fanned] = await fixture.database.db
          .select({ at: notifications.fannedOutAt })
          .from(notifications)
          .where(eq(notifications.id, row?.id ?? ''));
        return fanned?.at instanceof Date;
      })
      .toBe(true);
    const deliveries = await fixture.database.db
      .select()
      .from(notificationDeliveries)
      .where(eq(notificationDeliveries.notificationId, row?.id ?? ''));
    expect(deliveries).toEqual([]);
    expect(receiver.received.some((request) => request.path === '/quiet')).toBe(false);
  });

  it('a receiver that fails first gets the same notification again, and it is then delivered', async () => {
    const { pipeline, version } = await savePipeline(fixture.database.db, failing, 'Flaky receiver');
    await caller().notifications.saveSettings({
      pipelineId: pipeline.id,
      events: ['run_failed'],
      emails: [],
      addWebhooks: [`${receiverUrl}/flaky`],
    });
    const before = receiver.received.length;
    receiver.answers = [503];
    const { started } = await runToEnd(fixture.database.db, fixture.worker, version.id);
    await receiver.until(before + 2);
    const attempts = receiver.received.slice(before).filter((request) => request.path === '/flaky');
    expect(attempts).toHaveLength(2);
    expect(attempts[0]?.body).toEqual(attempts[1]?.body);
    expect(attempts[0]?.delivery).toMatch(/^[0-9a-f-]{36}$/);
    expect(attempts[1]?.delivery).toBe(attempts[0]?.delivery);
    expect(attempts[1]?.body).toMatchObject({ run: { id: started.runId } });
    await expect
      .poll(async () => {
        const [delivery] = await fixture.database.db
          .select({ status: notificationDeliveries.status, attempts: notificationDeliveries.attempts })
          .from(notificationDeliveries)
          .innerJoin(notifications, eq(notifications.id, notificationDeliveries.notificationId))
          .where(eq(notifications.runId, started.runId));
        return delivery;
      })
      .toEqual({ status: 'delivered', attempts: 2 });
    // The notifier logs each attempt, as the Temporal path does.
    const logged = await fixture.database.db
      .select({
        attempt: notificationDeliveryAttempts.attempt,
        ok: notificationDeliveryAttempts.ok,
        httpStatus: notificationDeliveryAttempts.httpStatus,
        error: notificationDeliveryAttempts.error,
      })
      .from(notificationDeliveryAttempts)
      .innerJoin(
        notificationDeliveries,
        eq(notificationDeliveries.id, notificationDeliveryAttempts.deliveryId),
      )
      .innerJoin(notifications, eq(notifications.id, notificationDeliveries.notificationId))
      .where(eq(notifications.runId, started.runId))
      .orderBy(notificationDeliveryAttempts.attempt);
    expect(logged).toEqual([
      { attempt: 1, ok: false, httpStatus: 503, error: 'answered 503' },
      { attempt: 2, ok: true, httpStatus: 200, error: null },
    ]);
  });

  it('refuses a webhook URL that is not http(s), naming the field, and changes nothing', async () => {
    const { pipeline } = await savePipeline(fixture.database.db, failing, 'Refused');
    await expect(
      caller().notifications.saveSettings({
        pipelineId: pipeline.id,
        events: ['run_failed'],
        emails: [],
        addWebhooks: ['file:///etc/passwd'],
      }),
    ).rejects.toThrow('addWebhooks.0: Webhook URL: must start with https:// or http://');
    // A cloud's metadata service: not public, and not in PIPEWRIGHT_WEBHOOK_ALLOW.
    await expect(
      caller().notifications.saveSettings({
        pipelineId: pipeline.id,
        events: ['run_failed'],
        emails: [],
        addWebhooks: ['http://169.254.169.254/latest/meta-data'],
      }),
    ).rejects.toThrow(
      'addWebhooks.0: Webhook URL: 169.254.169.254 is not a public address; webhooks may reach it only if PIPEWRIGHT_WEBHOOK_ALLOW lists it',
    );
    expect((await caller().notifications.settings({ pipelineId: pipeline.id })).webhooks).toEqual([]);
  });

  it('sends a test message to each webhook and says how it went', async () => {
    const { pipeline } = await savePipeline(fixture.database.db, failing, 'Tested');
    await caller().notifications.saveSettings({
      pipelineId: pipeline.id,
      events: ['run_failed'],
      emails: [],
      addWebhooks: [`${receiverUrl}/tested?token=abcdef123456`],
    });
    const before = receiver.received.length;
    const { results } = await caller().notifications.sendTest({ pipelineId: pipeline.id });
    expect(results).toEqual([{ target: `${receiverUrl}/tested/…3456`, ok: true, error: null }]);
    expect(receiver.received[before]).toMatchObject({
      path: '/tested?token=abcdef123456',
      body: { event: 'test' },
      delivery: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    const tested = await fixture.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'pipeline.notifications_tested'), eq(auditLog.objectId, pipeline.id)));
    expect(tested.map((entry) => [entry.actorId, entry.details])).toEqual([
      [editor.userId, { webhooks: [`${receiverUrl}/tested/…3456`], emails: [] }],
    ]);

    // Again within the minute: refused, saying when to try, and nothing is sent or audited.
    const again = await rejection(caller().notifications.sendTest({ pipelineId: pipeline.id }));
    expect(again.code).toBe('TOO_MANY_REQUESTS');
    expect(again.message).toMatch(/^A test was sent less than a minute ago; try again in (60|[1-5]?\d) s$/);
    expect(receiver.received).toHaveLength(before + 1);
    expect(
      await fixture.database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'pipeline.notifications_tested'), eq(auditLog.objectId, pipeline.id))),
    ).toHaveLength(1);
    // Two at once: one goes through, the other is refused.
    const { pipeline: other } = await savePipeline(fixture.database.db, failing, 'Tested twice');
    await caller().notifications.saveSettings({
      pipelineId: other.id,
      events: ['run_failed'],
      emails: [],
      addWebhooks: [`${receiverUrl}/tested-twice`],
    });
    const both = await Promise.allSettled([
      caller().notifications.sendTest({ pipelineId: other.id }),
      caller().notifications.sendTest({ pipelineId: other.id }),
    ]);
    expect(both.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('an attempt that outlives its lease cannot record over a newer one, and a delivery whose attempts all die is given up', async () => {
    // This test claims by hand, standing for notifiers that die mid-send: the test's notifier waits.
    await notifier.stop();
    try {
      const { pipeline } = await savePipeline(fixture.database.db, failing, 'Crashing receiver');
      const [notification] = await fixture.database.db
        .insert(notifications)
        .values({ event: 'run_failed', pipelineId: pipeline.id, message: 'boom', fannedOutAt: new Date() })
        .returning();
      const [delivery] = await fixture.database.db
        .insert(notificationDeliveries)
        .values({ notificationId: notification?.id ?? '', channel: 'email', email: 'ops@example.test' })
        .returning();
      const id = delivery?.id ?? '';
      // A lease of 0 s: each claim's lease has run out at once, as a dead notifier's does after a minute.
      const claim = async () =>
        (await claimDueDeliveries(fixture.database.db, { limit: 20, leaseMs: 0, maxAttempts: 2 })).filter(
          (due) => due.id === id,
        );
      const [first] = await claim();
      expect(first?.attempts).toBe(1);
      const [second] = await claim();
      expect(second?.attempts).toBe(2);
      // The first attempt's late outcome is not recorded: the second holds the delivery now.
      expect(await recordDeliveryAttempt(fixture.database.db, { id, attempt: 1, delivered: true })).toBe(
        false,
      );
      const [still] = await fixture.database.db
        .select()
        .from(notificationDeliveries)
        .where(eq(notificationDeliveries.id, id));
      expect(still?.status).toBe('pending');
      // The second dies too, and that was the last attempt: given up, not claimed again.
      expect(await claim()).toEqual([]);
      const [given] = await fixture.database.db
        .select()
        .from(notificationDeliveries)
        .where(eq(notificationDeliveries.id, id));
      expect(given).toMatchObject({ status: 'failed', attempts: 2, lastError: UNRECORDED_ATTEMPTS_ERROR });
      expect(
        await recordDeliveryAttempt(fixture.database.db, {
          id,
          attempt: 2,
          delivered: false,
          error: 'late',
          retryAt: new Date(),
        }),
      ).toBe(false);
    } finally {
      notifier = startTestNotifier();
    }
  });

  it('a schedule that skips starts while a slow run goes notifies schedule_skipped once per check', async () => {
    const slow = pipelineDoc(
      [
        { id: 'source', type: 'test.source' },
        { id: 'work', type: 'test.transform', config: { sleepMs: 12_000 } },
      ],
      ['source.out->work.in'],
    );
    const { pipeline } = await savePipeline(fixture.database.db, slow, 'Slow nightly');
    await caller().notifications.saveSettings({
      pipelineId: pipeline.id,
      events: ['schedule_skipped', 'schedule_missed'],
      emails: [],
      addWebhooks: [`${receiverUrl}/schedule`],
    });
    const deps = {
      db: fixture.database.db,
      temporal: fixture.worker.client,
      taskQueue: fixture.worker.taskQueue,
      specOf: specOfWithTestNodes,
    };
    const actor: ScheduleActor = { actorKind: 'cli', actorId: null, actorEmail: null, ipAddress: null };
    const schedule = await createSchedule(deps, actor, {
      pipelineId: pipeline.id,
      timing: { kind: 'every', amount: 5, unit: 's' },
      parameters: {},
      overlap: 'skip',
    });
    createdSchedules.push(schedule.id);
    // The first check only notes the counts (nothing skipped yet).
    await notifier.checkSchedules();
    await expect
      .poll(
        async () => {
          const rows = await fixture.database.db.select().from(runs).where(eq(runs.pipelineId, pipeline.id));
          return rows.some((run) => run.status === 'succeeded');
        },
        { timeout: 45_000, interval: 500 },
      )
      .toBe(true);
    await pauseSchedule(deps, actor, schedule.id, 'test over');
    const [seenBefore] = await fixture.database.db
      .select()
      .from(scheduleNotificationCounts)
      .where(eq(scheduleNotificationCounts.scheduleId, schedule.id));
    // Recording the notification fails (a trigger stands for a crash at that point): the seen
    // counts must not move either, or the skip would never be notified.
    await fixture.database.sql.unsafe(`
      create function pretend_notifications_down() returns trigger language plpgsql
        as $$ begin raise exception 'notifications are down'; end $$;
      create trigger pretend_notifications_down before insert on notifications
        for each row when (new.schedule_id is not null) execute function pretend_notifications_down();`);
    try {
      await expect(
        checkScheduleCounts({ db: fixture.database.db, temporal: fixture.worker.client }),
      ).rejects.toThrow();
    } finally {
      await fixture.database.sql.unsafe(`
        drop trigger pretend_notifications_down on notifications;
        drop function pretend_notifications_down();`);
    }
    const [seenAfter] = await fixture.database.db
      .select()
      .from(scheduleNotificationCounts)
      .where(eq(scheduleNotificationCounts.scheduleId, schedule.id));
    expect(seenAfter).toEqual(seenBefore);
    const before = receiver.received.length;
    await notifier.checkSchedules();
    await receiver.until(before + 1);
    expect(receiver.received[before]).toMatchObject({
      path: '/schedule',
      body: {
        event: 'schedule_skipped',
        title: 'Schedule skipped a run',
        pipeline: { id: pipeline.id, name: 'Slow nightly' },
        run: null,
      },
    });
    // Asked again with nothing new, it records nothing more.
    await notifier.checkSchedules();
    const recorded = await fixture.database.db
      .select()
      .from(notifications)
      .where(eq(notifications.scheduleId, schedule.id));
    expect(recorded.map((row) => row.event)).toEqual(['schedule_skipped']);
    expect(recorded[0]?.message).toMatch(
      /^Schedule ".+" skipped \d+ starts?: the previous run was still going \(overlap: skip\)$/,
    );
  }, 90_000);
});
