import { getSessionCookie } from 'better-auth/cookies';
import { type NextRequest, NextResponse } from 'next/server';
import { env } from './app/_server/env';
import { refuseForeignRequest } from './app/_server/request-origin';
import { publicUrl } from './config/env';

const publicOrigin = publicUrl(env);

/** Pages anyone may open: signing in, and the setup and invite links. */
const OPEN_PAGES = ['/sign-in', '/join/'];

/**
 * Refuses foreign Hosts (DNS rebinding) and cross-site state-changing requests before any route
 * runs, and sends a page request without a session cookie to sign-in. The cookie is only looked at
 * here; every procedure and route checks the session itself (app/_server/auth).
 */
export function proxy(request: NextRequest): NextResponse {
  const refusal = refuseForeignRequest(request.method, request.headers, publicOrigin);
  if (refusal) return NextResponse.json({ error: refusal.message }, { status: refusal.status });
  const { pathname, search } = request.nextUrl;
  const isPage = !pathname.startsWith('/api/');
  const isOpen = OPEN_PAGES.some((page) => pathname === page || pathname.startsWith(page));
  if (isPage && !isOpen && !getSessionCookie(request, { cookiePrefix: 'pipewright' })) {
    const signIn = request.nextUrl.clone();
    signIn.pathname = '/sign-in';
    signIn.search = pathname === '/' ? '' : `?next=${encodeURIComponent(`${pathname}${search}`)}`;
    return NextResponse.redirect(signIn);
  }
  return NextResponse.next();
}

export const config = {
  // Not the build's static files (public code), and not uploads: with a proxy in front, Next buffers
  // the body and cuts it at 10 MB, so the upload route runs the same check itself.
  matcher: ['/((?!_next/static|_next/image|favicon.ico|api/uploads).*)'],
};
