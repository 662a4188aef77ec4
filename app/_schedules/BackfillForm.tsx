'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { toast } from 'sonner';
import { useTRPC } from '../_trpc/client';
import { localInputValue } from './format';

/** How long the progress is followed; the Runs page shows the rest. */
const POLL_FOR_MS = 3_600_000;

type StartedBackfill = Range & { runs: number; requestedAt: Date };

interface Range {
  from: Date;
  to: Date;
}

/**
 * Backfill a past range: each time the schedule would have fired in it becomes one run. Once
 * started, the runs recorded and finished so far are polled until every one has finished.
 */
export function BackfillForm({ scheduleId, onClose }: { scheduleId: string; onClose: () => void }) {
  const trpc = useTRPC();
  const now = new Date();
  const [from, setFrom] = useState(localInputValue(new Date(now.getTime() - 86_400_000)));
  const [to, setTo] = useState(localInputValue(now));
  const [overlap, setOverlap] = useState<'allow' | 'buffer'>('allow');
  const [started, setStarted] = useState<StartedBackfill | undefined>();
  const backfill = useMutation(
    trpc.schedules.backfill.mutationOptions({
      onSuccess: (result) => {
        setStarted(result);
        toast.success(`Backfilling ${result.runs} run${result.runs === 1 ? '' : 's'}`);
      },
    }),
  );

  if (started) return <BackfillProgress scheduleId={scheduleId} range={started} onClose={onClose} />;
  return (
    <form
      className="schedule-inline-form"
      aria-label="Backfill"
      onSubmit={(event) => {
        event.preventDefault();
        // datetime-local is the viewer's local time: new Date reads it so.
        backfill.mutate({ scheduleId, from: new Date(from), to: new Date(to), overlap });
      }}
    >
      <div className="every-row">
        <label className="field">
          From
          <input type="datetime-local" value={from} onChange={(event) => setFrom(event.target.value)} />
        </label>
        <label className="field">
          To
          <input type="datetime-local" value={to} onChange={(event) => setTo(event.target.value)} />
        </label>
      </div>
      <label className="field">
        Runs of the backfill
        <select
          value={overlap}
          onChange={(event) => setOverlap(event.target.value === 'buffer' ? 'buffer' : 'allow')}
        >
          <option value="allow">All at once</option>
          <option value="buffer">One after another</option>
        </select>
      </label>
      {backfill.error && (
        <p className="error-text" role="alert">
          {backfill.error.message}
        </p>
      )}
      <div className="schedule-inline-actions">
        <button type="button" className="secondary" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={backfill.isPending}>
          Backfill
        </button>
      </div>
    </form>
  );
}

function BackfillProgress({
  scheduleId,
  range,
  onClose,
}: {
  scheduleId: string;
  range: StartedBackfill;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const progress = useQuery(
    trpc.schedules.backfillProgress.queryOptions(
      { scheduleId, from: range.from, to: range.to, since: range.requestedAt },
      // Polled until every run has finished (the runs arrive as Temporal starts them), for an hour
      // at most: a run that never comes (it failed before it was recorded) must not poll forever.
      {
        refetchInterval: (query) =>
          (query.state.data && query.state.data.finished >= range.runs) ||
          Date.now() - range.requestedAt.getTime() > POLL_FOR_MS
            ? false
            : 2_000,
      },
    ),
  );
  const data = progress.data;
  const expected = data?.expected ?? range.runs;
  const finished = data?.finished ?? 0;
  const done = finished >= expected;
  return (
    <div className="schedule-inline-form" role="status" aria-label="Backfill progress">
      <progress max={expected} value={finished} aria-label="Backfill runs finished" />
      <p className="backfill-counts" data-testid="backfill-progress">
        {done ? 'Done: ' : ''}
        {finished} of {expected} finished · {data?.recorded ?? 0} started
        {data && data.failed > 0 ? ` · ${data.failed} failed` : ''}
      </p>
      <div className="schedule-inline-actions">
        <button type="button" className="secondary" onClick={onClose}>
          {done ? 'Close' : 'Hide'}
        </button>
      </div>
    </div>
  );
}
