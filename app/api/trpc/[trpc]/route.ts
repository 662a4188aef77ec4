import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appServices } from '../../../_server/app-services';
import { appRouter } from '../../../_server/root';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

function handler(request: Request): Promise<Response> {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req: request,
    router: appRouter,
    createContext: () => ({ services: appServices() }),
  });
}

export { handler as GET, handler as POST };
