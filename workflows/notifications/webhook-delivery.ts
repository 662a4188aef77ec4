import http from 'node:http';
import https from 'node:https';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { signatureHeaders } from './webhook-signing';

/**
 * One webhook call: POST a JSON body, 5 s at most, redirects followed only on the same origin.
 * Errors are described in our own words: a network error's message may carry the URL, and
 * a webhook URL is a secret, so nothing of it reaches a log line or the stored last error.
 *
 * Whoever may edit a pipeline chooses its webhook URLs, and the worker posts to them from inside
 * the installation's network; so a webhook may reach only public addresses (no loopback, private,
 * link-local such as a cloud's metadata service at 169.254.169.254, or unspecified) unless the
 * operator lists the address or range in PIPEWRIGHT_WEBHOOK_ALLOW. The check is made on the address
 * actually connected to, after DNS, so a name that resolves to a private address is refused too.
 */

export const WEBHOOK_TIMEOUT_MS = 5_000;
const MAX_REDIRECTS = 3;

/**
 * What a webhook receives and an email says. It leaves the installation, so it holds no free text
 * of ours beyond the event's title: a run's error may quote SQL, file names or data, and stays in
 * the app's feed. A model alert carries its figures as structured fields instead.
 */
export interface WebhookBody {
  event: string;
  /** The event in a few words, e.g. "Run failed". */
  title: string;
  pipeline: { id: string; name: string };
  run: { id: string; url: string } | null;
  /** For model_alert: the alert (delivery-body.ts). */
  alert?: AlertBody;
  /** Where to look: the alert's Monitoring tab, the run in the editor, or the pipeline. */
  url: string;
}

export interface AlertBody {
  model: string;
  version: number | null;
  /** 'dataset', a feature's name, or a metric's. */
  subject: string;
  kind: 'drift' | 'performance';
  state: 'warn' | 'alert';
  /** True when an open alert rose from warn to alert (rather than opened). */
  escalated: boolean;
  /** The figure that crossed, e.g. { name: 'psi', value: 0.31, warn: 0.1, alert: 0.2 }. */
  figure: { name: string; value: number | null; warn: number | null; alert: number | null } | null;
  openedAt: string;
  url: string;
}

/** httpStatus: the receiver's answer, null when none came (refused address, network error, timeout). */
export type WebhookOutcome =
  | { ok: true; httpStatus: number }
  | { ok: false; error: string; retry: boolean; httpStatus: number | null };

export interface WebhookOptions {
  /** Addresses and CIDR ranges a webhook may reach although they are not public (PIPEWRIGHT_WEBHOOK_ALLOW). */
  allow: readonly string[];
  /**
   * Sent as X-Pipewright-Delivery, the same on every attempt of one delivery: delivery is at least
   * once, and a receiver that remembers the ids it has handled can drop a repeat.
   */
  deliveryId: string;
  /** The webhook's signing secret (webhook-signing.ts): every request is signed with it. */
  signingSecret: string;
  timeoutMs?: number;
}

export const DELIVERY_HEADER = 'X-Pipewright-Delivery';

export const BLOCKED_ADDRESS_ERROR =
  'points to a loopback, private or link-local address, which webhooks may not reach unless PIPEWRIGHT_WEBHOOK_ALLOW lists it';

export async function postWebhook(
  url: string,
  body: WebhookBody,
  options: WebhookOptions,
): Promise<WebhookOutcome> {
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  let target = new URL(url);
  const origin = target.origin;
  const authorization = basicAuthorization(target);
  const signal = AbortSignal.timeout(timeoutMs);
  const payload = JSON.stringify(body);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    let response: PostResponse;
    try {
      response = await post(target, payload, {
        authorization,
        signal,
        allow: options.allow,
        deliveryId: options.deliveryId,
        // Signed at each request, so a receiver's check of the timestamp's age holds on a retry too.
        signature: signatureHeaders(options.signingSecret, payload),
      });
    } catch (error) {
      if (isBlockedAddress(error))
        return { ok: false, error: BLOCKED_ADDRESS_ERROR, retry: false, httpStatus: null };
      return { ok: false, error: describeNetworkError(error, timeoutMs), retry: true, httpStatus: null };
    }
    if (response.status >= 200 && response.status < 300) return { ok: true, httpStatus: response.status };
    if (response.status >= 300 && response.status < 400) {
      const location = response.location;
      const next = location ? safeUrl(location, target) : null;
      if (!next || next.origin !== origin) {
        return {
          ok: false,
          error: `answered ${response.status}, a redirect to another host, which is not followed`,
          retry: false,
          httpStatus: response.status,
        };
      }
      target = next;
      continue;
    }
    // 4xx other than 408 and 429 will not change by asking again.
    const retry = response.status >= 500 || response.status === 408 || response.status === 429;
    return { ok: false, error: `answered ${response.status}`, retry, httpStatus: response.status };
  }
  return { ok: false, error: `redirected more than ${MAX_REDIRECTS} times`, retry: false, httpStatus: null };
}

interface PostResponse {
  status: number;
  location: string | null;
}

/** One POST through an agent that refuses addresses that are not public; the answer's body is discarded. */
function post(
  target: URL,
  payload: string,
  {
    authorization,
    signal,
    allow,
    deliveryId,
    signature,
  }: {
    authorization: string | null;
    signal: AbortSignal;
    allow: readonly string[];
    deliveryId: string;
    signature: Record<string, string>;
  },
): Promise<PostResponse> {
  const secure = target.protocol === 'https:';
  const filter = { allowIPAddressList: [...allow] };
  const agent = secure ? new RequestFilteringHttpsAgent(filter) : new RequestFilteringHttpAgent(filter);
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(payload)),
    'user-agent': 'Pipewright-Notifier',
    [DELIVERY_HEADER]: deliveryId,
    ...signature,
    ...(authorization ? { authorization } : {}),
  };
  return new Promise((resolve, reject) => {
    const request = (secure ? https : http).request(
      target,
      { method: 'POST', headers, agent, signal },
      (response) => {
        // Nothing needs the body; reading it to the end frees the connection.
        response.resume();
        const location = response.headers.location;
        resolve({ status: response.statusCode ?? 0, location: location ?? null });
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

/** request-filtering-agent's refusal: it has no error class or code, only this wording. */
function isBlockedAddress(error: unknown): boolean {
  return error instanceof Error && /^DNS lookup .* is not allowed\b/.test(error.message);
}

/**
 * A URL's user:password is sent as Basic authorization (kept on same-origin redirects, which are
 * the only ones followed), and taken out of the URL so the request is made without it.
 */
function basicAuthorization(url: URL): string | null {
  if (!url.username && !url.password) return null;
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  return `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
}

function safeUrl(location: string, base: URL): URL | null {
  try {
    return new URL(location, base);
  } catch {
    return null;
  }
}

/** A network failure in words without the address: the error code when there is one. */
function describeNetworkError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return `did not answer within ${timeoutMs / 1000} s`;
  const code =
    error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : null;
  return code ? `could not be reached (${code})` : 'could not be reached';
}
