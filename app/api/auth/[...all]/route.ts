import { handleAuthRequest } from '../../../../runtime/auth/auth-routes';
import { appAuth } from '../../../_server/auth/app-auth';
import { withoutSessionTokens } from '../../../_server/auth/session-tokens';
import { unexpectedErrorResponse } from '../../../_server/unexpected-error';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** better-auth's own endpoints: sign-in, sign-out, session and password change; every other one answers 404. */
async function handler(request: Request): Promise<Response> {
  try {
    return withoutSessionTokens(await handleAuthRequest(appAuth(), request));
  } catch (error) {
    // better-auth throws what it did not plan for (onAPIError.throw): logged without query parameters.
    return unexpectedErrorResponse(error, `${request.method} ${new URL(request.url).pathname}`);
  }
}

export { handler as GET, handler as POST };
