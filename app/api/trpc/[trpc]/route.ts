import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appServices } from '../../../_server/app-services';
import { checkTrpcRequest, withCappedBody } from '../../../_server/request-limits';
import { appRouter } from '../../../_server/root';
import { logServerError } from '../../../_server/trpc';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

function handler(request: Request): Promise<Response> {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req: withCappedBody(request),
    router: appRouter,
    // Runs once the calls are known and before any input is read: a refusal here answers every call.
    createContext: ({ info }) => {
      checkTrpcRequest(request, info.calls.length);
      return { services: appServices() };
    },
    onError: logServerError,
  });
}

export { handler as GET, handler as POST };
