'use client';

import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  TRPCClientError,
} from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { type ReactNode, useState } from 'react';
import superjson from 'superjson';
import type { AppRouter } from '../_server/root';

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

/** Pages anyone may open: a refusal there is the page's own answer (a bad invite link), not a lost session. */
const PUBLIC_PATHS = ['/sign-in', '/join/'];

function isUnauthorized(error: unknown): boolean {
  return error instanceof TRPCClientError && error.data?.code === 'UNAUTHORIZED';
}

/**
 * A call answered UNAUTHORIZED means the session ended (expired, signed out elsewhere, account
 * deactivated): go to sign-in, and come back here afterwards.
 */
function signInAgain(error: unknown): void {
  if (!isUnauthorized(error)) return;
  const { pathname, search } = window.location;
  if (PUBLIC_PATHS.some((path) => pathname.startsWith(path))) return;
  window.location.assign(`/sign-in?next=${encodeURIComponent(pathname + search)}`);
}

function makeQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError: signInAgain }),
    mutationCache: new MutationCache({ onError: signInAgain }),
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        // Asking again does not help a refused call; it only delays the answer.
        retry: (failures, error) =>
          failures < 1 &&
          !(error instanceof TRPCClientError && ['UNAUTHORIZED', 'FORBIDDEN'].includes(error.data?.code)),
      },
    },
  });
}

export function TrpcReactProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        // Subscriptions (live run status) stream over server-sent events; the rest is batched HTTP.
        splitLink({
          condition: (operation) => operation.type === 'subscription',
          true: httpSubscriptionLink({ url: '/api/trpc', transformer: superjson }),
          // The server refuses batches of more than 20 calls (MAX_TRPC_BATCH_CALLS); split larger ones.
          false: httpBatchLink({ url: '/api/trpc', transformer: superjson, maxItems: 20 }),
        }),
      ],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
