import { useCallback, useEffect, useRef } from 'react';

/**
 * A call that runs at most once per `ms`: the first request schedules it `ms` later and the ones
 * until then ride along. For refreshes driven by change events, which come in bursts (a schedule
 * firing for 50 pipelines at the top of the hour): each open page then asks once, not per event.
 */
export function useCoalesced(call: () => void, ms: number): () => void {
  const latest = useRef(call);
  latest.current = call;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  return useCallback(() => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      latest.current();
    }, ms);
  }, [ms]);
}
