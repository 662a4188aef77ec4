import { appAuth } from '../../../_server/auth/app-auth';
import { withoutSessionTokens } from '../../../_server/auth/session-tokens';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** better-auth's own endpoints: sign-in, sign-out, session, password change (others are closed). */
async function handler(request: Request): Promise<Response> {
  return withoutSessionTokens(await appAuth().handler(request));
}

export { handler as GET, handler as POST };
