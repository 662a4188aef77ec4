import { serveUrl } from '../../config/env';
import { issueServingCredential } from '../../config/serving-credential';
import { modelNameSchema } from '../../registry/version-schema';
import type { SignedInCaller } from './auth/route-guard';
import { env } from './env';

/**
 * The app's /api/v1/models/… routes pass requests on to the serving process (`npm run serve`), so
 * the model page's Try it form works from the app's own origin. A signed-in user's session never
 * leaves the app: serving gets a short-lived internal credential issued for that user instead. A
 * request that came with a Bearer API key goes on with that key, and serving checks its scope.
 */

/** Serving's body limit is its own; this one only keeps the app from buffering more than Next would pass. */
const MAX_FORWARDED_BYTES = 10 * 1024 * 1024;
/** A prediction that takes longer than this is not coming. */
const FORWARD_TIMEOUT_MS = 30_000;
/** What serving says about its answer that a client may read (the version served, the request id). */
const ANSWER_HEADERS = [
  'content-type',
  'x-request-id',
  'x-model-version',
  'x-ignored-columns',
  'x-prediction-ids',
];

/** Where and how the app reaches serving: its origin (PIPEWRIGHT_SERVE_URL) and the secret key signing internal credentials. */
interface ForwardTarget {
  serveUrl: URL;
  secretKey: () => Buffer;
}

/** A refusal the app gives itself, in the shape serving and the guard use: `{ error: sentence }`. */
function refusal(status: number, error: string): Response {
  return Response.json({ error }, { status });
}

/** The path segment for a model name, or the 400 that says what a name may hold. */
export function modelSegment(name: string): string | Response {
  const parsed = modelNameSchema.safeParse(name);
  if (!parsed.success) return refusal(400, `name: ${parsed.error.issues[0]?.message ?? 'not a model name'}.`);
  return encodeURIComponent(parsed.data);
}

/** The path segment for a version number, or the 400. */
export function versionSegment(text: string): string | Response {
  return /^[1-9]\d{0,9}$/.test(text)
    ? text
    : refusal(400, 'The version in the path must be a whole number from 1.');
}

/** The Authorization serving gets: the caller's own API key, else an internal credential for the user. */
function authorizationFor(request: Request, caller: SignedInCaller, target: ForwardTarget): string {
  const given = request.headers.get('authorization');
  if (caller.actor.kind === 'key' && given !== null) return given;
  return `Bearer ${issueServingCredential(target.secretKey(), caller.actor.userId)}`;
}

/** Only the query parameters serving reads are passed on (alias, version). */
function forwardedQuery(request: Request, names: readonly string[]): string {
  const given = new URL(request.url).searchParams;
  const kept = new URLSearchParams();
  for (const name of names) {
    const value = given.get(name);
    if (value !== null) kept.set(name, value);
  }
  const query = kept.toString();
  return query ? `?${query}` : '';
}

async function bodyOf(request: Request): Promise<ArrayBuffer | Response | undefined> {
  if (request.method === 'GET' || request.method === 'HEAD') return undefined;
  const declared = Number(request.headers.get('content-length') ?? 0);
  const tooLarge = refusal(413, `The request is larger than ${MAX_FORWARDED_BYTES / 1024 / 1024} MB.`);
  if (declared > MAX_FORWARDED_BYTES) return tooLarge;
  const body = await request.arrayBuffer();
  return body.byteLength > MAX_FORWARDED_BYTES ? tooLarge : body;
}

/**
 * Sends the request on to serving at `path` (already built from checked segments) and answers with
 * serving's status and body. A serving process that does not answer is a 503 with a sentence.
 */
export async function forwardToServing(
  request: Request,
  caller: SignedInCaller,
  services: { secretKey: () => Buffer },
  path: string,
  queryNames: readonly string[],
): Promise<Response> {
  const target: ForwardTarget = { serveUrl: serveUrl(env), secretKey: services.secretKey };
  const body = await bodyOf(request);
  if (body instanceof Response) return body;
  const url = new URL(`${path}${forwardedQuery(request, queryNames)}`, target.serveUrl);
  const headers = new Headers({ authorization: authorizationFor(request, caller, target) });
  const contentType = request.headers.get('content-type');
  if (contentType !== null) headers.set('content-type', contentType);
  let answer: Response;
  try {
    answer = await fetch(url, {
      method: request.method,
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
    });
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    return refusal(
      timedOut ? 504 : 503,
      timedOut
        ? `The serving process at ${target.serveUrl.origin} did not answer within ${FORWARD_TIMEOUT_MS / 1000} seconds.`
        : `The serving process at ${target.serveUrl.origin} does not answer; is \`npm run serve\` running?`,
    );
  }
  const shown = new Headers();
  for (const name of ANSWER_HEADERS) {
    const value = answer.headers.get(name);
    if (value !== null) shown.set(name, value);
  }
  return new Response(await answer.arrayBuffer(), { status: answer.status, headers: shown });
}
