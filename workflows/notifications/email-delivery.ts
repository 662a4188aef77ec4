import nodemailer from 'nodemailer';
import { eventTitle } from './delivery-body';
import { DELIVERY_HEADER, type WebhookBody } from './webhook-delivery';

/**
 * Emails go through the SMTP server of PIPEWRIGHT_SMTP_URL (smtp://user:pass@host:587 or smtps://…).
 * Its URL holds a password: failures are described by their SMTP code, never by nodemailer's
 * message, which may quote the server's address or the credentials' user.
 */

export interface EmailSettings {
  smtpUrl: string;
  from: string;
}

export type EmailOutcome = { ok: true } | { ok: false; error: string; retry: boolean };

const EMAIL_TIMEOUT_MS = 10_000;

export async function sendEmail(
  settings: EmailSettings,
  to: string,
  body: WebhookBody,
  /** Sent as X-Pipewright-Delivery, as webhooks are (delivery is at least once). */
  options: { deliveryId: string },
): Promise<EmailOutcome> {
  const transport = nodemailer.createTransport({
    url: settings.smtpUrl,
    connectionTimeout: EMAIL_TIMEOUT_MS,
    greetingTimeout: EMAIL_TIMEOUT_MS,
    socketTimeout: EMAIL_TIMEOUT_MS,
  });
  try {
    await transport.sendMail({
      from: settings.from,
      to,
      subject: `[Pipewright] ${eventTitle(body.event)}: ${body.pipeline.name}`,
      text: emailText(body),
      headers: { [DELIVERY_HEADER]: options.deliveryId },
    });
    return { ok: true };
  } catch (error) {
    return { ok: false, ...describeSmtpError(error) };
  } finally {
    transport.close();
  }
}

/** The email's text: what a webhook body says, in lines (never a run's error text). */
export function emailText(body: WebhookBody): string {
  const lines = [`${body.title}: ${body.pipeline.name}`];
  if (body.run) lines.push(`Run: ${body.run.id}`);
  const alert = body.alert;
  if (alert) {
    lines.push(`Model: ${alert.model}${alert.version === null ? '' : ` v${alert.version}`}`);
    lines.push(
      `${alert.kind === 'drift' ? 'Input drift' : 'Performance'} ${alert.state} on ${alert.subject}`,
    );
    const figure = alert.figure;
    if (figure && figure.value !== null) {
      const limits = [
        figure.warn === null ? null : `warns at ${figure.warn}`,
        figure.alert === null ? null : `alerts at ${figure.alert}`,
      ].filter((limit) => limit !== null);
      lines.push(`${figure.name}: ${figure.value}${limits.length ? ` (${limits.join(', ')})` : ''}`);
    }
  }
  return `${lines.join('\n')}\n\n${body.url}\n`;
}

/** A refusal (5xx: unknown mailbox, bad login) is final; anything else is tried again. */
function describeSmtpError(error: unknown): { error: string; retry: boolean } {
  const responseCode = numberField(error, 'responseCode');
  const code = stringField(error, 'code');
  if (responseCode !== null)
    return { error: `the mail server answered ${responseCode}`, retry: responseCode < 500 };
  return {
    error: code ? `the mail server could not be reached (${code})` : 'the mail server could not be reached',
    retry: true,
  };
}

function numberField(error: unknown, key: string): number | null {
  if (typeof error !== 'object' || error === null || !(key in error)) return null;
  const value: unknown = Reflect.get(error, key);
  return typeof value === 'number' ? value : null;
}

function stringField(error: unknown, key: string): string | null {
  if (typeof error !== 'object' || error === null || !(key in error)) return null;
  const value: unknown = Reflect.get(error, key);
  return typeof value === 'string' ? value : null;
}
