'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { type Choice, ChoiceFilter } from '../_components/ChoiceFilter';
import { EmptyState } from '../_components/EmptyState';
import { ListHead } from '../_components/ListHead';
import { OpenPipelinesLink } from '../_components/OpenPipelinesLink';
import { SearchField } from '../_components/SearchField';
import { useTRPC } from '../_trpc/client';
import { fromNow, needsSeconds, runTime } from './format';
import { MissingInTemporal } from './MissingInTemporal';
import { LastRun } from './ScheduleCard';
import type { ScheduleItem } from './ScheduleDialog';
import './schedules.css';

type StateFilter = '' | 'active' | 'paused';

const stateChoices: Choice<StateFilter>[] = [
  { value: '', label: 'Active and paused' },
  { value: 'active', label: 'Active' },
  { value: 'paused', label: 'Paused' },
];

/** Next run times move on and last runs arrive: the page reads the list again this often. */
const REFRESH_MS = 10_000;

/** Every schedule across pipelines: what it runs, when next, how the last run went, paused or not. */
export function SchedulesPage() {
  const trpc = useTRPC();
  const list = useQuery(trpc.schedules.list.queryOptions({}, { refetchInterval: REFRESH_MS }));
  const [search, setSearch] = useState('');
  const [state, setState] = useState<StateFilter>('');
  const all = list.data ?? [];
  const shown = all.filter((schedule) => matches(schedule, search, state)).sort(bySoonest);
  const filtered = search.trim() !== '' || state !== '';

  return (
    <main className="list-page">
      <ListHead title="Schedules">
        Every schedule of every pipeline, soonest first. Open a pipeline's Schedules panel to create, pause,
        run or backfill one.
      </ListHead>
      <div className="list-tools">
        <SearchField
          label="Search schedules"
          placeholder="Search by pipeline or schedule"
          value={search}
          onChange={setSearch}
        />
        <ChoiceFilter label="State" choices={stateChoices} value={state} onChange={setState} />
        {list.isSuccess && (
          <span className="muted schedules-count">
            {all.length} schedule{all.length === 1 ? '' : 's'} · {all.filter((each) => each.paused).length}{' '}
            paused
          </span>
        )}
      </div>
      {list.error && <p className="error-text">Schedules could not be loaded: {list.error.message}</p>}
      {list.isPending && <p className="muted">Loading schedules…</p>}
      {list.isSuccess && all.length === 0 && <NoSchedules />}
      {list.isSuccess && all.length > 0 && shown.length === 0 && filtered && (
        <p className="muted">No schedule matches. Clear the search or the filter to see them all.</p>
      )}
      {shown.length > 0 && (
        <table className="data-table schedules-table">
          <thead>
            <tr>
              <th>Pipeline</th>
              <th>Schedule</th>
              <th>Next run</th>
              <th>Last run</th>
              <th>State</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((schedule) => (
              <ScheduleRow key={schedule.id} schedule={schedule} />
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}

function ScheduleRow({ schedule }: { schedule: ScheduleItem }) {
  const next = schedule.nextRuns[0];
  return (
    <tr data-testid="schedule-row">
      <td>
        <Link href={`/pipelines/${schedule.pipelineId}`}>{schedule.pipelineName}</Link>
        <div className="muted schedule-sub">
          {schedule.pinnedVersion === null ? 'Latest version' : `Pinned to v${schedule.pinnedVersion}`}
        </div>
      </td>
      <td>
        <div>{schedule.name}</div>
        {schedule.name !== schedule.timingText && (
          <div className="muted schedule-sub">{schedule.timingText}</div>
        )}
      </td>
      <td>
        {next ? (
          <>
            <time dateTime={next.toISOString()}>{runTime(next, needsSeconds(schedule.nextRuns))}</time>
            <div className="muted schedule-sub">{fromNow(next)}</div>
          </>
        ) : (
          <span className="muted">–</span>
        )}
      </td>
      <td>
        {schedule.lastRun ? (
          <LastRun pipelineId={schedule.pipelineId} run={schedule.lastRun} />
        ) : (
          <span className="muted">Not yet</span>
        )}
      </td>
      <td>
        {schedule.paused ? (
          <span className="paused-badge" title={schedule.note || 'Paused'}>
            Paused
          </span>
        ) : (
          <span className="active-badge">Active</span>
        )}
        {schedule.paused && schedule.note && <div className="muted schedule-sub">“{schedule.note}”</div>}
        {!schedule.inTemporal && <MissingInTemporal />}
      </td>
    </tr>
  );
}

function matches(schedule: ScheduleItem, search: string, state: StateFilter): boolean {
  if (state === 'paused' && !schedule.paused) return false;
  if (state === 'active' && schedule.paused) return false;
  const text = search.trim().toLowerCase();
  if (!text) return true;
  return [schedule.pipelineName, schedule.name, schedule.timingText].some((field) =>
    field.toLowerCase().includes(text),
  );
}

/** Soonest next run first; paused ones (no next run) after, by name. */
function bySoonest(a: ScheduleItem, b: ScheduleItem): number {
  const at = (schedule: ScheduleItem) => schedule.nextRuns[0]?.getTime() ?? Number.POSITIVE_INFINITY;
  return at(a) - at(b) || a.pipelineName.localeCompare(b.pipelineName) || a.name.localeCompare(b.name);
}

function NoSchedules() {
  return (
    <EmptyState title="No schedules yet" action={<OpenPipelinesLink />}>
      A schedule runs a pipeline on a timer — every 10 minutes, every day at 06:00, Mondays at 07:00 — with
      fixed parameter values. Open a pipeline and choose <strong>Schedules</strong> in its toolbar to create
      one (operators and admins).
    </EmptyState>
  );
}
