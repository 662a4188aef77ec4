import { type NextRequest, NextResponse } from 'next/server';
import { env } from './app/_server/env';
import { refuseForeignRequest } from './app/_server/request-origin';
import { publicUrl } from './config/env';

const publicOrigin = publicUrl(env);

/** Refuses foreign Hosts (DNS rebinding) and cross-site state-changing requests before any route runs. */
export function proxy(request: NextRequest): NextResponse {
  const refusal = refuseForeignRequest(request.method, request.headers, publicOrigin);
  if (refusal) return NextResponse.json({ error: refusal.message }, { status: refusal.status });
  return NextResponse.next();
}

export const config = {
  // Not the build's static files (public code), and not uploads: with a proxy in front, Next buffers
  // the body and cuts it at 10 MB, so the upload route runs the same check itself.
  matcher: ['/((?!_next/static|_next/image|favicon.ico|api/uploads).*)'],
};
