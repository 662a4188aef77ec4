'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { toast } from 'sonner';
import { useTRPC } from '../_trpc/client';
import { BackfillForm } from './BackfillForm';
import { fromNow, needsSeconds, runTime } from './format';
import { MissingInTemporal } from './MissingInTemporal';
import { NextRuns } from './NextRuns';
import type { ScheduleItem } from './ScheduleDialog';
import { overlapWords } from './timing-form';

type Open = 'none' | 'pause' | 'resume' | 'backfill' | 'delete';

/**
 * One schedule in the editor's Schedules panel: its timing in words, next runs, last run and paused
 * state; for operators, pause/resume with a note, run now, backfill, edit and delete.
 */
export function ScheduleCard({
  schedule,
  canManage,
  onEdit,
}: {
  schedule: ScheduleItem;
  /** False for a role that may not change schedules: the card is read-only. */
  canManage: boolean;
  onEdit: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<Open>('none');
  const [note, setNote] = useState('');
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.schedules.list.queryKey() });
  const done = (message: string) => () => {
    toast.success(message);
    setOpen('none');
    setNote('');
    refresh();
  };
  const failed = (what: string) => (error: { message: string }) => toast.error(`${what}: ${error.message}`);
  const pause = useMutation(
    trpc.schedules.pause.mutationOptions({ onSuccess: done('Paused'), onError: failed('Not paused') }),
  );
  const resume = useMutation(
    trpc.schedules.resume.mutationOptions({ onSuccess: done('Resumed'), onError: failed('Not resumed') }),
  );
  const trigger = useMutation(
    trpc.schedules.trigger.mutationOptions({
      onSuccess: done('Run started: it appears on the Runs page in a moment'),
      onError: failed('Not started'),
    }),
  );
  const remove = useMutation(
    trpc.schedules.delete.mutationOptions({
      onSuccess: done('Schedule deleted'),
      onError: failed('Not deleted'),
    }),
  );
  const busy = pause.isPending || resume.isPending || trigger.isPending || remove.isPending;

  return (
    <li className={schedule.paused ? 'schedule-card paused' : 'schedule-card'} data-testid="schedule-card">
      <div className="schedule-card-head">
        <strong>{schedule.name}</strong>
        {schedule.paused && (
          <span className="paused-badge" title={schedule.note || 'Paused'}>
            Paused
          </span>
        )}
      </div>
      {schedule.name !== schedule.timingText && <p className="schedule-words">{schedule.timingText}</p>}
      {schedule.paused && schedule.note && <p className="schedule-note">“{schedule.note}”</p>}
      {!schedule.inTemporal && <MissingInTemporal />}
      <ScheduleFacts schedule={schedule} />
      {canManage && open === 'none' && (
        <div className="schedule-actions">
          {schedule.paused ? (
            <button type="button" className="secondary" disabled={busy} onClick={() => setOpen('resume')}>
              Resume
            </button>
          ) : (
            <button type="button" className="secondary" disabled={busy} onClick={() => setOpen('pause')}>
              Pause
            </button>
          )}
          <button
            type="button"
            className="secondary"
            disabled={busy}
            title="Start one run now, whatever the overlap policy"
            onClick={() => trigger.mutate({ scheduleId: schedule.id })}
          >
            Run now
          </button>
          <button
            type="button"
            className="secondary"
            disabled={busy}
            title="One run for each time it would have fired in a past range"
            onClick={() => setOpen('backfill')}
          >
            Backfill
          </button>
          <button type="button" className="secondary" disabled={busy} onClick={onEdit}>
            Edit
          </button>
          <button
            type="button"
            className="link-button danger-link"
            disabled={busy}
            onClick={() => setOpen('delete')}
          >
            Delete
          </button>
        </div>
      )}
      {(open === 'pause' || open === 'resume') && (
        <form
          className="schedule-inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            const input = { scheduleId: schedule.id, note: note.trim() };
            if (open === 'pause') pause.mutate(input);
            else resume.mutate(input);
          }}
        >
          <label className="field">
            {open === 'pause' ? 'Why pause it? (optional)' : 'Note (optional)'}
            <input
              value={note}
              maxLength={500}
              placeholder={
                open === 'pause' ? 'e.g. Source database under maintenance' : 'e.g. Source is back'
              }
              onChange={(event) => setNote(event.target.value)}
            />
          </label>
          <div className="schedule-inline-actions">
            <button type="button" className="secondary" onClick={() => setOpen('none')}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={busy}>
              {open === 'pause' ? 'Pause' : 'Resume'}
            </button>
          </div>
        </form>
      )}
      {open === 'backfill' && <BackfillForm scheduleId={schedule.id} onClose={() => setOpen('none')} />}
      {open === 'delete' && (
        <div className="schedule-inline-form" role="alertdialog" aria-label="Delete schedule">
          <p>Delete “{schedule.name}”? It stops firing; the runs it started stay.</p>
          <div className="schedule-inline-actions">
            <button type="button" className="secondary" onClick={() => setOpen('none')}>
              Keep it
            </button>
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={() => remove.mutate({ scheduleId: schedule.id })}
            >
              Delete schedule
            </button>
          </div>
        </div>
      )}
    </li>
  );
}

/** Next runs (the first, then the four after it on request), last run, version and overlap. */
function ScheduleFacts({ schedule }: { schedule: ScheduleItem }) {
  const [next, ...later] = schedule.nextRuns;
  const seconds = needsSeconds(schedule.nextRuns);
  return (
    <dl className="schedule-facts">
      <dt>Next run</dt>
      <dd>
        {next ? (
          <>
            <time dateTime={next.toISOString()}>{runTime(next, seconds)}</time>{' '}
            <span className="muted">({fromNow(next)})</span>
          </>
        ) : (
          <span className="muted">{schedule.paused ? 'None while paused' : 'None planned'}</span>
        )}
        {later.length > 0 && (
          <details className="later-runs">
            <summary>Next five</summary>
            <NextRuns times={schedule.nextRuns} />
          </details>
        )}
      </dd>
      <dt>Last run</dt>
      <dd>
        {schedule.lastRun ? (
          <LastRun pipelineId={schedule.pipelineId} run={schedule.lastRun} />
        ) : (
          <span className="muted">Not yet</span>
        )}
      </dd>
      <dt>Version</dt>
      <dd>{schedule.pinnedVersion === null ? 'Latest saved' : `Pinned: v${schedule.pinnedVersion}`}</dd>
      <dt title="What a start does while the previous run is still going">If still running</dt>
      <dd>{overlapWords[schedule.overlap]}</dd>
    </dl>
  );
}

export function LastRun({
  pipelineId,
  run,
}: {
  pipelineId: string;
  run: NonNullable<ScheduleItem['lastRun']>;
}) {
  return (
    <>
      <Link
        href={`/pipelines/${pipelineId}?run=${run.id}`}
        className={`run-badge status-${run.status}`}
        title="Open the run"
      >
        {run.status}
      </Link>{' '}
      <time className="muted" dateTime={run.startedAt.toISOString()}>
        {fromNow(run.startedAt)}
      </time>
    </>
  );
}
