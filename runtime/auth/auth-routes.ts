import type { Auth } from './auth';
import { signInEmail } from './sign-in-limits';
import { oneSignInAtATime, TooManyWaitingError } from './sign-in-lock';

/** Where better-auth's HTTP endpoints live (createAuth's basePath). */
export const AUTH_BASE_PATH = '/api/auth';

/**
 * The only better-auth endpoints Pipewright's pages call over HTTP (app/_account): everything
 * else better-auth offers (sessions lists, password checks, user updates, admin and key endpoints,
 * and whatever a future version adds) answers 404. The server calls those functions directly
 * (auth.api.*), behind its own role checks and audit log.
 */
export const OPEN_AUTH_ROUTES: ReadonlyArray<{ method: 'GET' | 'POST'; path: string }> = [
  { method: 'POST', path: '/sign-in/email' },
  { method: 'POST', path: '/sign-out' },
  { method: 'POST', path: '/change-password' },
  { method: 'GET', path: '/get-session' },
];

/** The endpoint a request names, relative to the base path; undefined when it is outside it. */
export function authRoutePath(request: Request): string | undefined {
  const { pathname } = new URL(request.url);
  return pathname.startsWith(`${AUTH_BASE_PATH}/`) ? pathname.slice(AUTH_BASE_PATH.length) : undefined;
}

/** True only for a method and path on the list, spelled exactly (no trailing slash, no encoding). */
export function isOpenAuthRoute(request: Request): boolean {
  const path = authRoutePath(request);
  return OPEN_AUTH_ROUTES.some((route) => route.method === request.method && route.path === path);
}

function notFound(): Response {
  return Response.json({ message: 'There is no such endpoint.' }, { status: 404 });
}

/** The email a sign-in request names, read from a copy of its body; undefined when there is none. */
async function emailOf(request: Request): Promise<string | undefined> {
  try {
    return signInEmail(await request.clone().json());
  } catch {
    return undefined;
  }
}

/**
 * The answer to a request under /api/auth: better-auth's, for the open routes only. Sign-ins to one
 * account run one at a time, so its failure limits count every earlier attempt (sign-in-lock.ts).
 */
export async function handleAuthRequest(auth: Auth, request: Request): Promise<Response> {
  if (!isOpenAuthRoute(request)) return notFound();
  const email = authRoutePath(request) === '/sign-in/email' ? await emailOf(request) : undefined;
  if (email === undefined) return auth.handler(request);
  try {
    return await oneSignInAtATime(email, () => auth.handler(request));
  } catch (error) {
    if (error instanceof TooManyWaitingError)
      return Response.json({ message: error.message }, { status: 429 });
    throw error;
  }
}
