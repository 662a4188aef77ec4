import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { maskEmail } from '../../../config/email-hint';
import { publicUrl } from '../../../config/env';
import {
  checkWebhookUrl,
  displayWebhookUrl,
  openWebhookUrl,
  sealWebhookUrl,
  WebhookUrlError,
} from '../../../config/webhook-url';
import { notificationEvents } from '../../../db/notifications-schema';
import { recordAuditUnlessRecent } from '../../../db/queries/audit';
import {
  listWebhookDeliveries,
  rotateWebhookSigning,
  webhookSigningGeneration,
} from '../../../db/queries/delivery-attempts';
import {
  deliveryTargets,
  listFeed,
  markFeedRead,
  readSettings,
  writeSettings,
} from '../../../db/queries/notifications';
import { getPipeline, NotFoundError } from '../../../db/queries/pipelines';
import { deliveryBody } from '../../../workflows/notifications/delivery-body';
import { sendEmail } from '../../../workflows/notifications/email-delivery';
import { postWebhook } from '../../../workflows/notifications/webhook-delivery';
import { webhookSigningSecret } from '../../../workflows/notifications/webhook-signing';
import { type AuditedCall, recordAction } from '../audit-trail';
import { auditEntry } from '../auth/audit-actor';
import { env } from '../env';
import { procedure, router } from '../trpc';

/** At most this many webhooks and emails per pipeline: a notification list, not a mailing list. */
export const MAX_WEBHOOKS = 10;
export const MAX_EMAILS = 20;

const pipelineId = z.uuid({ error: 'pipelineId: must be a pipeline id' });

export const notificationSettingsInput = z.object({
  pipelineId,
  events: z.array(z.enum(notificationEvents)).max(notificationEvents.length),
  emails: z
    .array(z.email({ error: 'must be an email address such as ada@example.com' }).max(254))
    .max(MAX_EMAILS, `at most ${MAX_EMAILS} addresses`),
  /** New webhook URLs, in full; stored ones are kept unless named in removeWebhookIds. */
  addWebhooks: z.array(z.string().max(2000, 'at most 2,000 characters')).max(MAX_WEBHOOKS).default([]),
  removeWebhookIds: z.array(z.uuid()).max(100).default([]),
});

async function requirePipeline(db: Parameters<typeof getPipeline>[0], id: string) {
  const pipeline = await getPipeline(db, id);
  if (!pipeline) throw new NotFoundError(`No pipeline ${id}`);
  return pipeline;
}

function badRequest(message: string): TRPCError {
  return new TRPCError({ code: 'BAD_REQUEST', message });
}

/** A webhook of a pipeline. */
const webhookInput = z.object({
  pipelineId,
  webhookId: z.uuid({ error: 'webhookId: must be a webhook id' }),
});

/**
 * The app's notification feed (the bell) and each pipeline's notification settings. Webhook URLs go
 * in whole and come back only as a hint (config/webhook-url.ts): they often hold a secret.
 */
export const notificationsRouter = router({
  list: procedure('read')
    .input(z.object({ limit: z.number().int().min(1).max(100).default(20) }).default({ limit: 20 }))
    .query(({ ctx, input }) => listFeed(ctx.services.db, { userId: ctx.actor.userId, limit: input.limit })),

  markRead: procedure('signedIn').mutation(async ({ ctx }) => {
    await markFeedRead(ctx.services.db, ctx.actor.userId);
    return { ok: true };
  }),

  settings: procedure('edit')
    .input(z.object({ pipelineId }))
    .query(async ({ ctx, input }) => {
      await requirePipeline(ctx.services.db, input.pipelineId);
      return {
        ...(await readSettings(ctx.services.db, input.pipelineId)),
        emailConfigured: env.PIPEWRIGHT_SMTP_URL !== undefined,
      };
    }),

  saveSettings: procedure('edit')
    .input(notificationSettingsInput)
    .mutation(async ({ ctx, input }) => {
      const pipeline = await requirePipeline(ctx.services.db, input.pipelineId);
      const current = await readSettings(ctx.services.db, input.pipelineId);
      const kept = current.webhooks.filter((webhook) => !input.removeWebhookIds.includes(webhook.id));
      if (kept.length + input.addWebhooks.length > MAX_WEBHOOKS)
        throw badRequest(`addWebhooks: a pipeline has at most ${MAX_WEBHOOKS} webhooks`);
      const addWebhooks = input.addWebhooks.map((text, index) => {
        let url: URL;
        try {
          url = checkWebhookUrl(text, env.PIPEWRIGHT_WEBHOOK_ALLOW);
        } catch (error) {
          if (error instanceof WebhookUrlError) throw badRequest(`addWebhooks.${index}: ${error.message}`);
          throw error;
        }
        const id = randomUUID();
        return {
          id,
          sealedUrl: sealWebhookUrl(ctx.services.secretKey(), id, url.toString()),
          display: displayWebhookUrl(url),
        };
      });
      const emails = [...new Set(input.emails.map((email) => email.toLowerCase()))];
      const events = [...new Set(input.events)];
      await writeSettings(ctx.services.db, {
        pipelineId: input.pipelineId,
        userId: ctx.actor.userId,
        events,
        emails,
        addWebhooks,
        removeWebhookIds: input.removeWebhookIds,
      });
      // The audit entry names hints, never the URLs, and masked addresses.
      await recordAction(ctx, {
        action: 'pipeline.notifications_changed',
        objectType: 'pipeline',
        objectId: pipeline.id,
        objectLabel: pipeline.name,
        details: {
          events,
          emails: emails.map(maskEmail),
          addedWebhooks: addWebhooks.map((webhook) => webhook.display),
          removedWebhooks: current.webhooks
            .filter((webhook) => input.removeWebhookIds.includes(webhook.id))
            .map((webhook) => webhook.display),
        },
      });
      return readSettings(ctx.services.db, input.pipelineId);
    }),

  /**
   * Sends a test message to every stored webhook and email now, and says how each went. At most one
   * per pipeline a minute (each is audited, and the audit entry is the record of the last one): the
   * mail goes out through the installation's SMTP server, so a click must not become a mail flood.
   */
  sendTest: procedure('edit')
    .input(z.object({ pipelineId }))
    .mutation(async ({ ctx, input }) => {
      const pipeline = await requirePipeline(ctx.services.db, input.pipelineId);
      const targets = await deliveryTargets(ctx.services.db, input.pipelineId);
      const display = new Map(
        (await readSettings(ctx.services.db, input.pipelineId)).webhooks.map((webhook) => [
          webhook.id,
          webhook.display,
        ]),
      );
      await claimTestSlot(ctx, pipeline, {
        webhooks: targets.webhooks.map((webhook) => display.get(webhook.id) ?? 'webhook'),
        emails: targets.emails.map(maskEmail),
      });
      const body = deliveryBody(
        {
          event: 'test',
          pipelineId: pipeline.id,
          pipelineName: pipeline.name,
          runId: null,
          details: null,
        },
        publicUrl(env),
      );
      const webhooks = await Promise.all(
        targets.webhooks.map(async (webhook) => {
          const target = display.get(webhook.id) ?? 'webhook';
          let url: string;
          try {
            url = openWebhookUrl(ctx.services.secretKey(), webhook.id, webhook.sealedUrl);
          } catch {
            return { target, ok: false, error: 'cannot be decrypted: the secret key changed; add it again' };
          }
          const outcome = await postWebhook(url, body, {
            allow: env.PIPEWRIGHT_WEBHOOK_ALLOW,
            deliveryId: randomUUID(),
            signingSecret: webhookSigningSecret(
              ctx.services.secretKey(),
              webhook.id,
              webhook.signingGeneration,
            ),
          });
          return { target, ok: outcome.ok, error: outcome.ok ? null : outcome.error };
        }),
      );
      const smtpUrl = env.PIPEWRIGHT_SMTP_URL;
      const emails = await Promise.all(
        targets.emails.map(async (email) => {
          if (!smtpUrl)
            return { target: email, ok: false, error: 'no SMTP server is configured (PIPEWRIGHT_SMTP_URL)' };
          const outcome = await sendEmail({ smtpUrl, from: env.PIPEWRIGHT_SMTP_FROM }, email, body, {
            deliveryId: randomUUID(),
          });
          return { target: email, ok: outcome.ok, error: outcome.ok ? null : outcome.error };
        }),
      );
      return { results: [...webhooks, ...emails] };
    }),

  /**
   * A webhook's latest deliveries with every attempt (time, outcome, HTTP status, error in our
   * words, duration), newest first. Never the URL: the panel names the webhook by its hint.
   */
  deliveries: procedure('read')
    .input(webhookInput.extend({ limit: z.number().int().min(1).max(100).default(20) }))
    .query(async ({ ctx, input }) => {
      const deliveries = await listWebhookDeliveries(ctx.services.db, input);
      if (!deliveries)
        throw new NotFoundError(`No webhook ${input.webhookId} on pipeline ${input.pipelineId}`);
      return { deliveries };
    }),

  /**
   * A webhook's signing secret, for its receiver to check X-Pipewright-Signature. Derived from the
   * server's key, never stored; whoever may edit the pipeline may read it, and each reading is audited.
   */
  signingSecret: procedure('edit')
    .input(webhookInput)
    .mutation(async ({ ctx, input }) =>
      answerSigningSecret(ctx, input, 'pipeline.webhook_secret_revealed', webhookSigningGeneration),
    ),

  /** Replaces a webhook's signing secret with a new one (the old one signs nothing more); audited. */
  rotateSigningSecret: procedure('edit')
    .input(webhookInput)
    .mutation(async ({ ctx, input }) =>
      answerSigningSecret(ctx, input, 'pipeline.webhook_secret_rotated', rotateWebhookSigning),
    ),
});

/** A webhook's signing secret at the generation `signing` reads or makes, audited as `action`. */
async function answerSigningSecret(
  ctx: AuditedCall & { services: { secretKey: () => Buffer } },
  input: z.infer<typeof webhookInput>,
  action: 'pipeline.webhook_secret_revealed' | 'pipeline.webhook_secret_rotated',
  signing: typeof webhookSigningGeneration,
): Promise<{ secret: string; generation: number }> {
  const pipeline = await requirePipeline(ctx.services.db, input.pipelineId);
  // One transaction: a rotation is never left unaudited, nor an entry written for none.
  const found = await ctx.services.db.transaction(async (tx) => {
    const generation = await signing(tx, input);
    if (!generation) return null;
    await recordAction(
      ctx,
      {
        action,
        objectType: 'pipeline',
        objectId: pipeline.id,
        objectLabel: pipeline.name,
        details: { webhook: generation.display, generation: generation.generation },
      },
      tx,
    );
    return generation;
  });
  if (!found) throw new NotFoundError(`No webhook ${input.webhookId} on pipeline ${input.pipelineId}`);
  return {
    secret: webhookSigningSecret(ctx.services.secretKey(), input.webhookId, found.generation),
    generation: found.generation,
  };
}

/** One test message per pipeline per this long. */
export const TEST_INTERVAL_MS = 60_000;

/**
 * Audits a test send (targets as hints and masked addresses, never URLs), or refuses it with
 * TOO_MANY_REQUESTS when the pipeline's last one was less than TEST_INTERVAL_MS ago.
 */
async function claimTestSlot(
  ctx: AuditedCall,
  pipeline: { id: string; name: string },
  targets: { webhooks: string[]; emails: string[] },
): Promise<void> {
  const entry = auditEntry(ctx.actor, ctx.ipAddress, {
    action: 'pipeline.notifications_tested',
    objectType: 'pipeline',
    objectId: pipeline.id,
    objectLabel: pipeline.name,
    details: targets,
  });
  const claimed = await recordAuditUnlessRecent(ctx.services.db, entry, TEST_INTERVAL_MS);
  if (claimed.recorded) return;
  const seconds = Math.max(1, Math.ceil((TEST_INTERVAL_MS - claimed.agoMs) / 1000));
  throw new TRPCError({
    code: 'TOO_MANY_REQUESTS',
    message: `A test was sent less than a minute ago; try again in ${seconds} s`,
  });
}
