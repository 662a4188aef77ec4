'use client';

import { useVirtualizer } from '@tanstack/react-virtual';
import Link from 'next/link';
import { useEffect, useRef } from 'react';
import type { RunHistoryItem } from '../../db/queries/run-history';
import { formatNumber, formatSeconds } from '../_components/format';
import { metricLabel } from '../_components/report/metrics';
import { triggerLabels } from './run-filters';

/** Every row is this tall (runs.css fixes it), so the virtualiser places rows without measuring them. */
const ROW_HEIGHT = 45;
/** Rows drawn beyond the visible ones, so a quick scroll shows rows, not blank space. */
const OVERSCAN = 12;
const COLUMNS = 7;

/** The serialised run as the browser receives it: history.list's item. */
type Run = RunHistoryItem;

/**
 * The runs as a virtualised table: only the rows in view (and a few beyond) are in the page, so
 * 100,000 runs scroll as smoothly as 50. Reaching the last loaded row asks for the next page.
 */
export function RunsTable({
  runs,
  hasMore,
  loadingMore,
  loadMore,
}: {
  runs: readonly Run[];
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    // One row more while pages remain: the "loading more" row, whose appearance fetches the next.
    count: hasMore ? runs.length + 1 : runs.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
  });
  const rows = virtualizer.getVirtualItems();
  const lastIndex = rows.at(-1)?.index ?? -1;
  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= runs.length - 1) loadMore();
  }, [hasMore, loadingMore, lastIndex, runs.length, loadMore]);

  const paddingTop = rows[0]?.start ?? 0;
  const paddingBottom = virtualizer.getTotalSize() - (rows.at(-1)?.end ?? 0);
  return (
    <div ref={scroller} className="runs-scroll">
      <table className="data-table runs-table">
        <thead>
          <tr>
            <th className="runs-col-status">Status</th>
            <th>Pipeline</th>
            <th className="runs-col-version">Version</th>
            <th className="runs-col-trigger">Trigger</th>
            <th className="runs-col-started">Started</th>
            <th className="runs-col-duration">Duration</th>
            <th className="runs-col-metric">Main metric</th>
          </tr>
        </thead>
        <tbody>
          {paddingTop > 0 && <Spacer height={paddingTop} />}
          {rows.map((row) => {
            const run = runs[row.index];
            return run ? (
              <RunRow key={run.id} run={run} />
            ) : (
              <tr key="more" className="runs-more-row">
                <td colSpan={COLUMNS} className="muted">
                  Loading more runs…
                </td>
              </tr>
            );
          })}
          {paddingBottom > 0 && <Spacer height={paddingBottom} />}
        </tbody>
      </table>
    </div>
  );
}

function Spacer({ height }: { height: number }) {
  return (
    <tr className="runs-spacer">
      <td colSpan={COLUMNS} style={{ height }} />
    </tr>
  );
}

function RunRow({ run }: { run: Run }) {
  const href = `/pipelines/${run.pipelineId}?run=${run.id}`;
  return (
    <tr>
      <td>
        <Link href={href} className={`run-badge status-${run.status}`} title="Open the run">
          {run.status}
        </Link>
      </td>
      <td className="runs-pipeline">
        <Link href={href} title={run.pipelineName}>
          {run.pipelineName}
        </Link>
      </td>
      <td>v{run.version}</td>
      <td>
        <span className={`run-trigger trigger-${run.trigger}`}>{triggerLabels[run.trigger]}</span>
      </td>
      <td title={run.startedAt.toISOString()}>
        {run.startedAt.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}
      </td>
      <td>
        {run.durationMs === null ? <span className="muted">–</span> : formatSeconds(run.durationMs / 1000)}
      </td>
      <td title={run.mainMetric ? String(run.mainMetric.value) : undefined}>
        {run.mainMetric ? (
          <>
            <span className="metric-value">{formatNumber(run.mainMetric.value)}</span>{' '}
            <span className="muted">{metricLabel(run.mainMetric.name)}</span>
          </>
        ) : (
          <span className="muted">–</span>
        )}
      </td>
    </tr>
  );
}
