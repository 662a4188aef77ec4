'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { runStatuses } from '../../db/schema';
import { useTRPC } from '../_trpc/client';
import { formatNumber, formatSeconds } from './format';
import { metricLabel } from './report/metrics';

/**
 * A pipeline's runs, newest first, filterable by status; each opens on the canvas. The main metric
 * is the evaluate step's first gated metric, else accuracy or R², so runs compare at a glance.
 */
export function RunHistory({ pipelineId }: { pipelineId: string }) {
  const trpc = useTRPC();
  const [status, setStatus] = useState<(typeof runStatuses)[number] | ''>('');
  const runs = useQuery(
    trpc.runs.list.queryOptions({ pipelineId, statuses: status ? [status] : undefined, limit: 100 }),
  );
  return (
    <div className="shell">
      <header className="topbar">
        <Link href={`/pipelines/${pipelineId}`} className="back-link">
          ← Editor
        </Link>
        <h1 className="pipeline-name">Run history</h1>
        <label>
          Status{' '}
          <select
            value={status}
            onChange={(event) =>
              setStatus(runStatuses.find((candidate) => candidate === event.target.value) ?? '')
            }
          >
            <option value="">All</option>
            {runStatuses.map((candidate) => (
              <option key={candidate}>{candidate}</option>
            ))}
          </select>
        </label>
      </header>
      <main className="list-page">
        {runs.data?.items.length === 0 && (
          <p className="empty-state">No runs yet: open the editor and press Run.</p>
        )}
        <table className="data-table">
          <thead>
            <tr>
              <th>Status</th>
              <th>Version</th>
              <th>Trigger</th>
              <th>Started</th>
              <th>Duration</th>
              <th>Main metric</th>
            </tr>
          </thead>
          <tbody>
            {runs.data?.items.map((run) => (
              <tr key={run.id}>
                <td>
                  <Link
                    href={`/pipelines/${pipelineId}?run=${run.id}`}
                    className={`run-badge status-${run.status}`}
                  >
                    {run.status}
                  </Link>
                </td>
                <td>v{run.version}</td>
                <td>{run.trigger}</td>
                <td>{run.startedAt.toLocaleString()}</td>
                <td>{run.durationMs === null ? '—' : formatSeconds(run.durationMs / 1000)}</td>
                <td title={run.mainMetric ? String(run.mainMetric.value) : undefined}>
                  {run.mainMetric
                    ? `${metricLabel(run.mainMetric.name)} ${formatNumber(run.mainMetric.value)}`
                    : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </main>
    </div>
  );
}
