import { handleAuthRequest } from '../../../../runtime/auth/auth-routes';
import { appAuth } from '../../../_server/auth/app-auth';
import { withoutSessionTokens } from '../../../_server/auth/session-tokens';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** better-auth's own endpoints: sign-in, sign-out, session and password change; every other one answers 404. */
async function handler(request: Request): Promise<Response> {
  return withoutSessionTokens(await handleAuthRequest(appAuth(), request));
}

export { handler as GET, handler as POST };
