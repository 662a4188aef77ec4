/**
 * Which requests the app answers at all: the Host must be the public address (or loopback), and a
 * state-changing request must come from our own pages or from a client that is not a browser page
 * (the CLI, curl, tests). This stops DNS rebinding (a foreign name resolving to this machine) and
 * cross-site requests such as a `text/plain` form POST from another site.
 */

/** Methods that change nothing; only these are answered for another site's pages (e.g. a link). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Names that only ever reach this machine, so a rebinding attacker cannot send them as Host. */
const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Sec-Fetch-Site values a browser sends for a request from our own pages or typed by the user. */
const OWN_FETCH_SITES = new Set(['same-origin', 'none']);

export interface Refusal {
  status: number;
  message: string;
}

/** Why this request is refused, or undefined when it may go on. */
export function refuseForeignRequest(
  method: string,
  headers: Headers,
  publicOrigin: URL,
): Refusal | undefined {
  const host = headers.get('host')?.toLowerCase();
  if (!host || !isAllowedHost(host, publicOrigin)) {
    return {
      status: 403,
      message: `This server answers at ${publicOrigin.host}, not at ${host ?? 'a request without a Host header'}. If users reach it at another address, set PIPEWRIGHT_PUBLIC_URL to that address.`,
    };
  }
  if (SAFE_METHODS.has(method.toUpperCase())) return undefined;
  const origin = headers.get('origin');
  if (origin !== null) {
    if (isOwnOrigin(origin, host, publicOrigin)) return undefined;
    return {
      status: 403,
      message: `Requests that change something are only accepted from Pipewright's own pages (${publicOrigin.origin}), not from ${origin}.`,
    };
  }
  const site = headers.get('sec-fetch-site');
  if (site !== null && !OWN_FETCH_SITES.has(site)) {
    return {
      status: 403,
      message: `Requests that change something are only accepted from Pipewright's own pages, not from a ${site} page.`,
    };
  }
  // No Origin and no Sec-Fetch-Site: not a browser page (CLI, curl, scripts), which CORS does not cover anyway.
  return undefined;
}

function isAllowedHost(host: string, publicOrigin: URL): boolean {
  if (host === publicOrigin.host) return true;
  const hostname = hostnameOf(host);
  return hostname !== undefined && LOOPBACK_HOSTNAMES.has(hostname);
}

/** The request's own origin (same host it was sent to) or the public address. */
function isOwnOrigin(origin: string, host: string, publicOrigin: URL): boolean {
  if (origin === publicOrigin.origin) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    // "null" (sandboxed frames, file: pages) and anything else that is not a URL.
    return false;
  }
}

function hostnameOf(host: string): string | undefined {
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return undefined;
  }
}
