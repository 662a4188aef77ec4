import { TRPCError } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appServices } from '../../../_server/app-services';
import { BadCredentialError } from '../../../_server/auth/actor';
import { reauthorizerOf } from '../../../_server/auth/reauthorize';
import { callerOf } from '../../../_server/auth/request-actor';
import { checkTrpcRequest, withCappedBody } from '../../../_server/request-limits';
import { appRouter } from '../../../_server/root';
import { type Context, logServerError } from '../../../_server/trpc';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** Runs once the calls are known and before any input is read: a refusal here answers every call. */
async function createContext(request: Request, calls: number): Promise<Context> {
  checkTrpcRequest(request, calls);
  const services = appServices();
  try {
    return {
      services,
      ...(await callerOf(services, request)),
      reauthorize: reauthorizerOf(services, request.headers),
    };
  } catch (error) {
    if (error instanceof BadCredentialError)
      throw new TRPCError({ code: 'UNAUTHORIZED', message: error.message });
    throw error;
  }
}

function handler(request: Request): Promise<Response> {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req: withCappedBody(request),
    router: appRouter,
    createContext: ({ info }) => createContext(request, info.calls.length),
    onError: logServerError,
  });
}

export { handler as GET, handler as POST };
