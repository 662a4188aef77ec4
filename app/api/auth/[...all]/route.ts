import { appAuth } from '../../../_server/auth/app-auth';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** better-auth's own endpoints: sign-in, sign-out, session, password change (others are closed). */
function handler(request: Request): Promise<Response> {
  return appAuth().handler(request);
}

export { handler as GET, handler as POST };
