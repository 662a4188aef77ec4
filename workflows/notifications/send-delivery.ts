import { openWebhookUrl } from '../../config/webhook-url';
import { deliveryBody } from './delivery-body';
import { type EmailSettings, sendEmail } from './email-delivery';
import { postWebhook } from './webhook-delivery';
import { webhookSigningSecret } from './webhook-signing';

/**
 * One attempt at one delivery, as both senders make it: the notifier's loop and the Temporal
 * activity (delivery-activity.ts). The outcome says whether to try again and how long it took.
 */

export interface SendDeps {
  secretKey: () => Buffer;
  /** Where users open the app: links in webhooks and emails. */
  publicUrl: URL;
  /** Addresses and ranges webhooks may reach although not public (PIPEWRIGHT_WEBHOOK_ALLOW). */
  webhookAllow: readonly string[];
  /** Unset: email deliveries fail saying that no SMTP server is configured. */
  email?: EmailSettings;
}

export interface DeliveryToSend {
  id: string;
  channel: 'webhook' | 'email';
  sealedUrl: Buffer | null;
  webhookId: string | null;
  /** The webhook's signing generation; null for an email, or a webhook since removed. */
  signingGeneration: number | null;
  email: string | null;
  event: string;
  pipelineId: string;
  pipelineName: string;
  runId: string | null;
  details: unknown;
}

export type SendOutcome = ({ ok: true } | { ok: false; error: string; retry: boolean }) & {
  /** The receiver's HTTP status; null for emails and when no answer came. */
  httpStatus: number | null;
  durationMs: number;
};

/**
 * Sends one delivery. It carries its id (X-Pipewright-Delivery): delivery is at least once (a
 * sender that dies after sending, before recording it, sends again), and a receiver that keeps the
 * ids it has seen can drop the repeat.
 */
export async function sendDelivery(deps: SendDeps, delivery: DeliveryToSend): Promise<SendOutcome> {
  const started = performance.now();
  const outcome = await attempt(deps, delivery);
  return { ...outcome, durationMs: Math.round(performance.now() - started) };
}

async function attempt(
  deps: SendDeps,
  delivery: DeliveryToSend,
): Promise<({ ok: true } | { ok: false; error: string; retry: boolean }) & { httpStatus: number | null }> {
  const body = deliveryBody(delivery, deps.publicUrl);
  if (delivery.channel === 'email') {
    if (!deps.email || !delivery.email)
      return {
        ok: false,
        error: 'no SMTP server is configured (PIPEWRIGHT_SMTP_URL)',
        retry: false,
        httpStatus: null,
      };
    const sent = await sendEmail(deps.email, delivery.email, body, { deliveryId: delivery.id });
    return { ...sent, httpStatus: null };
  }
  if (!delivery.sealedUrl || !delivery.webhookId || delivery.signingGeneration === null)
    return { ok: false, error: 'the webhook was removed', retry: false, httpStatus: null };
  let url: string;
  try {
    url = openWebhookUrl(deps.secretKey(), delivery.webhookId, delivery.sealedUrl);
  } catch {
    return {
      ok: false,
      error: 'the webhook URL cannot be decrypted: the secret key changed',
      retry: false,
      httpStatus: null,
    };
  }
  return postWebhook(url, body, {
    allow: deps.webhookAllow,
    deliveryId: delivery.id,
    signingSecret: webhookSigningSecret(deps.secretKey(), delivery.webhookId, delivery.signingGeneration),
  });
}
