'use client';

import { skipToken, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useTRPC } from '../_trpc/client';

/**
 * A run as the canvas shows it: the stored detail (steps, log lines, artifacts), refetched whenever
 * the live subscription reports a change of this run, so states appear as they happen.
 */
export function useRunView(runId: string | undefined) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const detail = useQuery(trpc.runs.get.queryOptions(runId ? { runId } : skipToken));
  useSubscription(
    trpc.runs.onChange.subscriptionOptions(
      { runId },
      {
        enabled: Boolean(runId),
        onData: () => {
          // Many changes arrive in bursts; invalidation coalesces them into a few refetches.
          void queryClient.invalidateQueries({ queryKey: trpc.runs.get.queryKey({ runId }) });
        },
      },
    ),
  );
  return detail.data;
}

export type RunView = NonNullable<ReturnType<typeof useRunView>>;
export type StepView = RunView['steps'][number];
