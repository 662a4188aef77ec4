'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { toast } from 'sonner';
import { runStatuses } from '../../db/schema';
import { useViewer } from '../_account/use-viewer';
import { useTRPC } from '../_trpc/client';
import { AppShell } from './AppShell';
import { COMPARE_MAX, COMPARE_MIN } from './compare/compare-rows';
import { MetricOverTime } from './compare/MetricOverTime';
import { formatNumber, formatSeconds } from './format';
import { metricLabel } from './report/metrics';

/**
 * A pipeline's runs, newest first, filterable by status; each opens on the canvas, and may be
 * cancelled or run again by a role that may run. The main metric is the evaluate step's first gated
 * metric, else accuracy or R², so runs compare at a glance.
 */
export function RunHistory({ pipelineId }: { pipelineId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { me, may, whyNot } = useViewer();
  const canRun = me !== undefined && may('run');
  const [status, setStatus] = useState<(typeof runStatuses)[number] | ''>('');
  // Runs ticked for comparison, in the order they were ticked: the comparison's columns.
  const [picked, setPicked] = useState<string[]>([]);
  const toggle = (runId: string) =>
    setPicked((current) =>
      current.includes(runId) ? current.filter((id) => id !== runId) : [...current, runId],
    );
  const canCompare = picked.length >= COMPARE_MIN && picked.length <= COMPARE_MAX;
  const runs = useQuery(
    trpc.runs.list.queryOptions({ pipelineId, statuses: status ? [status] : undefined, limit: 100 }),
  );
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.runs.list.queryKey() });
  const cancel = useMutation(
    trpc.runs.cancel.mutationOptions({
      onSuccess: () => toast.success('Cancelling the run'),
      onError: (error) => toast.error(`Not cancelled: ${error.message}`),
      onSettled: refresh,
    }),
  );
  const rerun = useMutation(
    trpc.runs.rerun.mutationOptions({
      onSuccess: (started) => router.push(`/pipelines/${pipelineId}?run=${started.runId}`),
      onError: (error) => toast.error(`Run not started: ${error.message}`),
    }),
  );
  return (
    <AppShell>
      <main className="list-page">
        <div className="list-head list-head-spaced">
          <div className="bar-group">
            <Link href={`/pipelines/${pipelineId}`} className="back-link">
              ← Editor
            </Link>
            <h1>Run history</h1>
          </div>
          <div className="bar-group">
            <button
              type="button"
              className="secondary"
              disabled={!canCompare}
              title={
                canCompare
                  ? 'Compare the ticked runs side by side'
                  : `Tick ${COMPARE_MIN} to ${COMPARE_MAX} runs to compare them`
              }
              onClick={() => router.push(`/runs/compare?ids=${picked.join(',')}`)}
            >
              Compare ({picked.length})
            </button>
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
          </div>
        </div>
        <MetricOverTime pipelineId={pipelineId} />
        {runs.error && <p className="error-text">{runs.error.message}</p>}
        {runs.data?.items.length === 0 && (
          <p className="empty-state">
            {status
              ? `No ${status} runs.`
              : canRun
                ? 'No runs yet: open the editor and press Run.'
                : 'No runs yet.'}
          </p>
        )}
        {runs.data && runs.data.items.length > 0 && (
          <table className="data-table run-table">
            <thead>
              <tr>
                <th>
                  <span className="visually-hidden">Compare</span>
                </th>
                <th>Status</th>
                <th>Version</th>
                <th>Trigger</th>
                <th>Started by</th>
                <th>Started</th>
                <th>Duration</th>
                <th>Main metric</th>
                <th>
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {runs.data?.items.map((run) => {
                const active = run.status === 'queued' || run.status === 'running';
                return (
                  <tr key={run.id}>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Compare the run started ${run.startedAt.toLocaleString()}`}
                        checked={picked.includes(run.id)}
                        disabled={!picked.includes(run.id) && picked.length >= COMPARE_MAX}
                        onChange={() => toggle(run.id)}
                      />
                    </td>
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
                    <td>{run.startedByEmail ?? '—'}</td>
                    <td>{run.startedAt.toLocaleString()}</td>
                    <td>{run.durationMs === null ? '—' : formatSeconds(run.durationMs / 1000)}</td>
                    <td title={run.mainMetric ? String(run.mainMetric.value) : undefined}>
                      {run.mainMetric
                        ? `${metricLabel(run.mainMetric.name)} ${formatNumber(run.mainMetric.value)}`
                        : '—'}
                    </td>
                    <td className="row-actions">
                      {active ? (
                        <button
                          type="button"
                          className="link-button danger-link"
                          disabled={!canRun || cancel.isPending}
                          title={whyNot('run')}
                          onClick={() => cancel.mutate({ runId: run.id })}
                        >
                          Cancel
                        </button>
                      ) : (
                        <>
                          {run.status === 'failed' && (
                            <button
                              type="button"
                              className="link-button"
                              disabled={!canRun || rerun.isPending}
                              title={whyNot('run') ?? 'Run again, reusing the steps that succeeded'}
                              onClick={() => rerun.mutate({ runId: run.id, fromFailure: true })}
                            >
                              Re-run from failure
                            </button>
                          )}
                          <button
                            type="button"
                            className="link-button"
                            disabled={!canRun || rerun.isPending}
                            title={whyNot('run') ?? 'Run the same version with the same parameters again'}
                            onClick={() => rerun.mutate({ runId: run.id, fromFailure: false })}
                          >
                            Re-run
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </main>
    </AppShell>
  );
}
