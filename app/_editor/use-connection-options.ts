'use client';

import { useQuery } from '@tanstack/react-query';
import type { ConnectionOption } from '../_components/config-form/widgets/widget-props';
import { useTRPC } from '../_trpc/client';

/**
 * The connections an ingest node may choose: stored ones, and the server's PIPEWRIGHT_CONNECTION_*
 * that no stored connection of the same name overrides. Undefined until loaded (or when unreadable).
 */
export function useConnectionOptions(): ConnectionOption[] | undefined {
  const trpc = useTRPC();
  const names = useQuery(trpc.connections.names.queryOptions(undefined, { staleTime: 30_000 }));
  return names.data;
}
