'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import type { PipelineParameter } from '../../pipeline/document';
import { ScheduleCard } from '../_schedules/ScheduleCard';
import { ScheduleDialog, type ScheduleItem } from '../_schedules/ScheduleDialog';
import { useTRPC } from '../_trpc/client';
import { PanelHeader } from './PanelHeader';
import '../_schedules/schedules.css';

/** How often the list is read again: next run times move on, and last runs arrive. */
const REFRESH_MS = 5_000;

/**
 * The pipeline's schedules: each in words with its next and last run; operators create, pause,
 * resume, run, backfill, edit and delete them. Other roles see the same, read-only.
 */
export function SchedulesPanel({
  pipelineId,
  parameters,
  manageReason,
  onClose,
}: {
  pipelineId: string;
  /** The pipeline's parameters, whose values a schedule fixes. */
  parameters: PipelineParameter[];
  /** Set when the viewer's role may not change schedules: why, as a tooltip. */
  manageReason?: string;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const list = useQuery(trpc.schedules.list.queryOptions({ pipelineId }, { refetchInterval: REFRESH_MS }));
  // undefined: no dialog; null: a new schedule; a schedule: editing it.
  const [dialog, setDialog] = useState<ScheduleItem | null | undefined>();
  const canManage = manageReason === undefined;
  return (
    <aside className="details schedules-panel" aria-label="Schedules">
      <PanelHeader title="Schedules" closeLabel="Close schedules" onClose={onClose} />
      <section className="panel-section">
        <button
          type="button"
          className="primary"
          disabled={!canManage}
          title={manageReason ?? 'Run this pipeline on a timer, with fixed parameter values'}
          onClick={() => setDialog(null)}
        >
          New schedule
        </button>
        {!canManage && <p className="muted schedule-read-only">{manageReason}</p>}
      </section>
      <section className="panel-section">
        {list.isPending && <p className="muted">Loading schedules…</p>}
        {list.isError && <p className="error-text">Could not load the schedules: {list.error.message}</p>}
        {list.data?.length === 0 && (
          <p className="muted">
            No schedules yet. A schedule runs the pipeline every N minutes, hours or days, or at set times
            such as every day at 06:00.
          </p>
        )}
        {list.data && list.data.length > 0 && (
          <ul className="schedule-list">
            {list.data.map((schedule) => (
              <ScheduleCard
                key={schedule.id}
                schedule={schedule}
                canManage={canManage}
                onEdit={() => setDialog(schedule)}
              />
            ))}
          </ul>
        )}
        <Link href="/schedules" className="secondary-link schedules-all-link">
          All schedules
        </Link>
      </section>
      {dialog !== undefined && (
        <ScheduleDialog
          pipelineId={pipelineId}
          parameters={parameters}
          schedule={dialog ?? undefined}
          onClose={() => setDialog(undefined)}
        />
      )}
    </aside>
  );
}
