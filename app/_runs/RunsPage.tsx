'use client';

import { keepPreviousData, useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useCallback, useDeferredValue, useState } from 'react';
import { EmptyState } from '../_components/EmptyState';
import { formatCount } from '../_components/format';
import { ListHead } from '../_components/ListHead';
import { OpenPipelinesLink } from '../_components/OpenPipelinesLink';
import { useCoalesced } from '../_components/use-coalesced';
import { useTRPC } from '../_trpc/client';
import { RunFilters } from './RunFilters';
import { RunsTable } from './RunsTable';
import { emptyForm, filtersOf, isFiltered } from './run-filters';
import './runs.css';

/** Runs fetched per page as the table scrolls. */
const PAGE_SIZE = 100;

/** Run changes come in bursts; the table is asked again at most this often. */
const REFRESH_MS = 2_000;

/**
 * Every run of every pipeline, newest first, filtered and scrolled through page by page, kept up to
 * date by the live run changes.
 */
export function RunsPage() {
  const trpc = useTRPC();
  const [form, setForm] = useState(emptyForm);
  // Typing a threshold or a date asks once the typing settles, not at every keystroke's render.
  const deferred = useDeferredValue(form);
  const { filters, problem } = filtersOf(deferred);
  // An unusable field keeps the last valid filters: the table does not empty while someone types.
  const [applied, setApplied] = useState(filters);
  if (!problem && JSON.stringify(filters) !== JSON.stringify(applied)) setApplied(filters);
  const list = useInfiniteQuery(
    trpc.history.list.infiniteQueryOptions(
      { filters: applied, limit: PAGE_SIZE },
      { getNextPageParam: (page) => page.nextCursor, placeholderData: keepPreviousData },
    ),
  );
  const queryClient = useQueryClient();
  const refresh = useCoalesced(
    () => void queryClient.invalidateQueries({ queryKey: trpc.history.list.pathKey() }),
    REFRESH_MS,
  );
  useSubscription(
    trpc.runs.onChange.subscriptionOptions(
      {},
      {
        onData: (change) => {
          // A run started, ended or changed status: the loaded pages are asked again (keyset pages
          // from the first), once per burst, so it appears or moves. Step and log changes leave the
          // table as it is.
          if (change.type === 'run') refresh();
        },
      },
    ),
  );
  const runs = list.data?.pages.flatMap((page) => page.items) ?? [];
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);
  const filtered = isFiltered(form);

  return (
    <main className="list-page runs-page">
      <ListHead title="Runs">
        Every run of every pipeline, newest first, with its main metric: the evaluate step's first gated
        metric, else accuracy or R². Open a run to see its steps, logs and report on the canvas.
      </ListHead>
      <RunFilters form={form} onChange={setForm} problem={problem} />
      {list.error && <p className="error-text">Runs could not be loaded: {list.error.message}</p>}
      {list.isPending && <p className="muted runs-status-line">Loading runs…</p>}
      {list.isSuccess && runs.length === 0 && !filtered && <NoRuns />}
      {list.isSuccess && runs.length === 0 && filtered && (
        <EmptyState
          title="No run matches"
          action={
            <button type="button" className="secondary" onClick={() => setForm(emptyForm)}>
              Clear filters
            </button>
          }
        >
          Widen the time range or clear a filter. Runs without an evaluate step have no main metric.
        </EmptyState>
      )}
      {runs.length > 0 && (
        <>
          <p className="muted runs-status-line" aria-live="polite">
            {formatCount(runs.length)} {runs.length === 1 ? 'run' : 'runs'}
            {hasNextPage ? ' loaded; scroll for more' : ''}
            {list.isPlaceholderData ? ' · updating…' : ''}
          </p>
          <RunsTable runs={runs} hasMore={hasNextPage} loadingMore={isFetchingNextPage} loadMore={loadMore} />
        </>
      )}
    </main>
  );
}

function NoRuns() {
  return (
    <EmptyState title="No runs yet" action={<OpenPipelinesLink />}>
      Runs of every pipeline appear here as they start: open a pipeline and press <strong>Run</strong>, or
      start one with <code>pipewright run</code>. Scheduled runs land here too.
    </EmptyState>
  );
}
