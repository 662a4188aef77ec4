import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { openPassword, sealPassword } from './connection-password';
import { deriveKey } from './secret-key';

/**
 * Webhook URLs are credentials more often than not (Slack and Teams carry their secret in the path,
 * others in the query or as user:password). They are stored sealed with AES-256-GCM under
 * deriveKey(secret, 'notifications'), bound to the webhook's id, and shown back only as
 * displayWebhookUrl's hint.
 */

/** Why a webhook URL was refused, in a sentence naming the field. */
export class WebhookUrlError extends Error {
  override name = 'WebhookUrlError';
}

/**
 * A URL a webhook may have: http(s), a host, at most 2,000 characters, and, when the host is an IP
 * address, a public one or one in `allow` (PIPEWRIGHT_WEBHOOK_ALLOW). Host names are checked when
 * the webhook is called, on the address they resolve to (workflows/notifications/webhook-delivery.ts).
 */
export function checkWebhookUrl(text: string, allow: readonly string[]): URL {
  const trimmed = text.trim();
  if (trimmed.length > 2000) throw new WebhookUrlError('Webhook URL: must be at most 2,000 characters');
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new WebhookUrlError('Webhook URL: must be a full address such as https://hooks.example.com/…');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new WebhookUrlError('Webhook URL: must start with https:// or http://');
  if (!url.hostname) throw new WebhookUrlError('Webhook URL: must name a host');
  const address = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(address) !== 0 && !isReachableAddress(address, allow))
    throw new WebhookUrlError(
      `Webhook URL: ${url.hostname} is not a public address; webhooks may reach it only if PIPEWRIGHT_WEBHOOK_ALLOW lists it`,
    );
  return url;
}

/** Public (ipaddr.js's "unicast" range), or listed in `allow` as an address or CIDR range. */
function isReachableAddress(address: string, allow: readonly string[]): boolean {
  const parsed = ipaddr.process(address);
  if (parsed.range() === 'unicast') return true;
  return allow.some((entry) => {
    const range = entry.includes('/') ? ipaddr.parseCIDR(entry) : null;
    if (range) return parsed.kind() === range[0].kind() && parsed.match(range);
    return ipaddr.process(entry).toString() === parsed.toString();
  });
}

/**
 * What is shown of a webhook URL: scheme, host and port, the first path segment, and the last four
 * characters of the rest, so two webhooks on one host can be told apart without showing a secret.
 * User, password and query are never shown.
 */
export function displayWebhookUrl(url: URL): string {
  const segments = url.pathname.split('/').filter((segment) => segment !== '');
  const rest = segments.slice(1).join('/') + url.search + url.hash;
  const first = segments[0] ? `/${segments[0]}` : '';
  const hint = rest.length > 0 ? `/…${rest.length > 8 ? rest.slice(-4) : ''}` : '';
  return `${url.protocol}//${url.host}${first}${hint}`;
}

/** The sealed URL is bound to its webhook's id: copied onto another row it does not open. */
export function sealWebhookUrl(secret: Buffer, webhookId: string, url: string): Buffer {
  return sealPassword(deriveKey(secret, 'notifications'), `webhook ${webhookId}`, url);
}

export function openWebhookUrl(secret: Buffer, webhookId: string, sealed: Buffer): string {
  return openPassword(deriveKey(secret, 'notifications'), `webhook ${webhookId}`, sealed);
}
