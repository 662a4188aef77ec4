import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter } from '../../../_server/root';
import { createContext } from '../../../_server/trpc';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

function handler(request: Request): Promise<Response> {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req: request,
    router: appRouter,
    createContext: () => createContext({ headers: request.headers }),
  });
}

export { handler as GET, handler as POST };
