'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../_trpc/client';

/** The registered models' names a deploy node may pick. Undefined until loaded (or when unreadable). */
export function useModelNames(): string[] | undefined {
  const trpc = useTRPC();
  const names = useQuery(trpc.models.names.queryOptions(undefined, { staleTime: 30_000 }));
  return names.data;
}
