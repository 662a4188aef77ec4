/**
 * One webhook call: POST a JSON body, 5 s at most, redirects followed only on the same origin.
 * Errors are described in our own words: a fetch error's message or cause may carry the URL, and
 * a webhook URL is a secret, so nothing of it reaches a log line or the stored last error.
 */

export const WEBHOOK_TIMEOUT_MS = 5_000;
const MAX_REDIRECTS = 3;

export interface WebhookBody {
  event: string;
  pipeline: { id: string; name: string };
  run: { id: string; url: string } | null;
  message: string;
  /** Where to look: the run in the editor, or the pipeline when there is no run. */
  url: string;
}

export type WebhookOutcome = { ok: true } | { ok: false; error: string; retry: boolean };

export async function postWebhook(
  url: string,
  body: WebhookBody,
  timeoutMs = WEBHOOK_TIMEOUT_MS,
): Promise<WebhookOutcome> {
  let target = new URL(url);
  const origin = target.origin;
  const authorization = basicAuthorization(target);
  const signal = AbortSignal.timeout(timeoutMs);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    let response: Response;
    try {
      response = await fetch(target, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Pipewright-Notifier',
          ...(authorization ? { authorization } : {}),
        },
        body: JSON.stringify(body),
        redirect: 'manual',
        signal,
      });
    } catch (error) {
      return { ok: false, error: describeFetchError(error, timeoutMs), retry: true };
    }
    // The body is not read (nothing needs it); cancelling frees the connection.
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { ok: true };
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get('location');
      const next = location ? safeUrl(location, target) : null;
      if (!next || next.origin !== origin) {
        return {
          ok: false,
          error: `answered ${response.status}, a redirect to another host, which is not followed`,
          retry: false,
        };
      }
      target = next;
      continue;
    }
    // 4xx other than 408 and 429 will not change by asking again.
    const retry = response.status >= 500 || response.status === 408 || response.status === 429;
    return { ok: false, error: `answered ${response.status}`, retry };
  }
  return { ok: false, error: `redirected more than ${MAX_REDIRECTS} times`, retry: false };
}

/**
 * fetch refuses a URL with user:password in it; such a webhook gets them as Basic authorization
 * instead (kept on same-origin redirects, which are the only ones followed), and the URL loses them.
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
function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return `did not answer within ${timeoutMs / 1000} s`;
  const cause = error instanceof Error ? error.cause : undefined;
  const code =
    cause instanceof Error && 'code' in cause && typeof cause.code === 'string' ? cause.code : null;
  return code ? `could not be reached (${code})` : 'could not be reached';
}
