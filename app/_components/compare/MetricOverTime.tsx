'use client';

import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import {
  Brush,
  CartesianGrid,
  ComposedChart,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  type TooltipContentProps,
  XAxis,
  YAxis,
} from 'recharts';
import { useTRPC } from '../../_trpc/client';
import { formatNumber } from '../format';
import { metricLabel } from '../report/metrics';
import { timeTickFormatter, timeTicks } from './time-axis';
import '../report/charts.css';
import './compare.css';

/** A run's colour on the chart: the run badges' colours. */
const statusColors: Record<string, string> = {
  succeeded: '#2f9e44',
  failed: '#e03131',
  cancelled: '#868e96',
  running: '#3b5bdb',
  queued: '#adb5bd',
};

/** A run as runCompare.metricHistory returns it. */
interface HistoryRun {
  runId: string;
  startedAt: Date;
  status: string;
  trigger: string;
  version: number;
  mainMetric: { name: string; value: number } | null;
}

interface Point {
  runId: string;
  /** Start time, epoch ms: the time axis is numeric. */
  t: number;
  value: number;
  metric: string;
  status: string;
  trigger: string;
  version: number;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A circle for runs started by hand, the API or a monitor; a triangle for scheduled ones. */
function RunMark({ cx, cy, point }: { cx: number; cy: number; point: Point }) {
  const fill = statusColors[point.status] ?? '#868e96';
  if (point.trigger === 'schedule') {
    const r = 6;
    return (
      <path
        d={`M${cx},${cy - r} L${cx + r},${cy + r * 0.75} L${cx - r},${cy + r * 0.75} Z`}
        fill={fill}
        stroke="#fff"
        strokeWidth={1}
      />
    );
  }
  return <circle cx={cx} cy={cy} r={4.5} fill={fill} stroke="#fff" strokeWidth={1} />;
}

function RunTooltip({
  active,
  payload,
  byRun,
}: Pick<TooltipContentProps, 'active' | 'payload'> & { byRun: Map<string, Point> }) {
  const runId: unknown = payload?.[0]?.payload?.runId;
  const point = active && typeof runId === 'string' ? byRun.get(runId) : undefined;
  if (!point) return null;
  return (
    <div className="chart-tooltip">
      <strong>
        {metricLabel(point.metric)} {formatNumber(point.value)}
      </strong>
      <div>{dateTime.format(new Date(point.t))}</div>
      <div>
        v{point.version} · {point.trigger} ·{' '}
        <span style={{ color: statusColors[point.status] }}>{point.status}</span>
      </div>
      <div className="muted">Run {point.runId.slice(0, 8)}</div>
    </div>
  );
}

/** The runs that have a main metric, as points: start time against value. */
function plotted(runs: readonly HistoryRun[]): Point[] {
  return runs.flatMap((run) =>
    run.mainMetric
      ? [
          {
            runId: run.runId,
            t: run.startedAt.getTime(),
            value: run.mainMetric.value,
            metric: run.mainMetric.name,
            status: run.status,
            trigger: run.trigger,
            version: run.version,
          },
        ]
      : [],
  );
}

/**
 * Each run's main metric by start time: coloured by status, scheduled runs as triangles. Hover a
 * point for its run, drag the brush under the chart to zoom into a time range, click a point to
 * open its run.
 */
export function MetricOverTime({ pipelineId }: { pipelineId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const history = useQuery(trpc.runCompare.metricHistory.queryOptions({ pipelineId }));
  // The brush's window over the points (indexes), for the axis' ticks; null before it is moved.
  const [brushWindow, setBrushWindow] = useState<{ startIndex: number; endIndex: number } | null>(null);
  const runs = history.data;
  // One array per answer: the chart resets its brush whenever its data changes identity.
  const points = useMemo(() => (runs ? plotted(runs) : []), [runs]);
  if (history.error) return <p className="error-text">{history.error.message}</p>;
  if (!runs || points.length === 0) return null;
  const byRun = new Map(points.map((point) => [point.runId, point]));
  const metrics = [...new Set(points.map((point) => point.metric))];
  // A window from before a refetch that no longer fits the points is dropped.
  const zoom = brushWindow && brushWindow.endIndex < points.length ? brushWindow : undefined;
  const first = points[zoom?.startIndex ?? 0]?.t ?? 0;
  const last = points[zoom?.endIndex ?? points.length - 1]?.t ?? first;
  const formatTick = timeTickFormatter(last - first);
  const formatWholeRange = timeTickFormatter((points.at(-1)?.t ?? 0) - (points[0]?.t ?? 0));
  const statuses = [...new Set(points.map((point) => point.status))];
  const scheduled = points.some((point) => point.trigger === 'schedule');
  const withoutMetric = runs.length - points.length;

  return (
    <section className="panel metric-over-time" aria-label="Main metric over time">
      <div className="metric-over-time-head">
        <h2>{metrics.map(metricLabel).join(' / ')} over time</h2>
        <ul className="mot-legend">
          {statuses.map((status) => (
            <li key={status}>
              <span className="mot-swatch" style={{ background: statusColors[status] }} aria-hidden="true" />
              {status}
            </li>
          ))}
          <li>
            <span className="mot-shape" aria-hidden="true">
              ●
            </span>
            manual, API
          </li>
          {scheduled && (
            <li>
              <span className="mot-shape" aria-hidden="true">
                ▲
              </span>
              scheduled
            </li>
          )}
        </ul>
      </div>
      <div className="metric-over-time-chart">
        <ResponsiveContainer width="100%" height={260}>
          <ComposedChart data={points} margin={{ top: 8, right: 44, bottom: 4, left: 0 }}>
            <CartesianGrid stroke="#eef0f3" />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={['dataMin', 'dataMax']}
              ticks={timeTicks(first, last)}
              tickFormatter={formatTick}
              tick={{ fontSize: 11 }}
              padding={{ left: 12, right: 12 }}
            />
            <YAxis
              dataKey="value"
              type="number"
              domain={['auto', 'auto']}
              tickFormatter={(value: number) => formatNumber(value, true)}
              tick={{ fontSize: 11 }}
              width={48}
            />
            <Tooltip
              cursor={{ strokeDasharray: '3 3' }}
              content={({ active, payload }) => (
                <RunTooltip active={active} payload={payload} byRun={byRun} />
              )}
            />
            <Scatter
              dataKey="value"
              name="Main metric"
              isAnimationActive={false}
              onClick={(item: { payload?: { runId?: unknown } }) => {
                const runId = item.payload?.runId;
                if (typeof runId === 'string') router.push(`/pipelines/${pipelineId}?run=${runId}`);
              }}
              shape={(props: { cx?: number; cy?: number; payload?: { runId?: unknown } }) => {
                const runId = props.payload?.runId;
                const point = typeof runId === 'string' ? byRun.get(runId) : undefined;
                if (!point || props.cx === undefined || props.cy === undefined) return <g />;
                return <RunMark cx={props.cx} cy={props.cy} point={point} />;
              }}
            />
            {points.length > 2 && (
              <Brush
                dataKey="t"
                height={22}
                stroke="#3b5bdb"
                tickFormatter={formatWholeRange}
                travellerWidth={8}
                startIndex={zoom?.startIndex}
                endIndex={zoom?.endIndex}
                onChange={setBrushWindow}
              />
            )}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <p className="mot-note">
        {points.length} run{points.length === 1 ? '' : 's'} with a main metric
        {withoutMetric > 0 ? ` (${withoutMetric} without one not shown)` : ''}. Drag the handles under the
        chart to zoom into a time range; click a point to open its run.
      </p>
    </section>
  );
}
