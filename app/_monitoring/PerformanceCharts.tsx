import { useState } from 'react';
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ChoiceSelect } from '../_components/ChoiceSelect';
import { formatCount, formatNumber } from '../_components/format';
import { metricName } from '../_models/format';
import { STATE_COLORS, timeAxisProps } from './chart-parts';
import {
  type Check,
  fullDateTime,
  type MetricSeries,
  performanceSeries,
  STATE_LABELS,
  sliceNames,
  sliceNote,
} from './monitoring-view';

/**
 * The model's quality on predictions with feedback, per metric: a line per check against the
 * version's test figure and the threshold an alert fires at, over bars of the labelled predictions
 * behind each point. Without feedback, says how to send it.
 */
export function PerformanceCharts({ checks, model }: { checks: readonly Check[]; model: string }) {
  const slices = sliceNames(checks);
  // '' is every prediction with feedback; a slice's name (never empty) is that slice.
  const [scope, setScope] = useState('');
  const slice = slices.includes(scope) ? scope : undefined;
  const overall = performanceSeries(checks);
  const series = slice === undefined ? overall : performanceSeries(checks, slice);
  if (overall.length === 0) {
    return (
      <div className="monitor-empty">
        <strong>No feedback yet.</strong> Performance is measured on predictions whose true labels or values
        came back. Send them, days later if need be, to{' '}
        <code>POST /api/v1/models/{encodeURIComponent(model)}/feedback</code> with the prediction ids the
        predict endpoint answered (an API key with the predict scope), and let the monitor measure
        performance.
      </div>
    );
  }
  const note = slice === undefined ? undefined : sliceNote(checks, slice);
  return (
    <>
      {slices.length > 0 && (
        <div className="performance-scope">
          <label>
            Predictions{' '}
            <ChoiceSelect
              value={slice ?? ''}
              choices={[
                { value: '', label: 'All with feedback' },
                ...slices.map((name) => ({ value: name, label: `Slice: ${name}` })),
              ]}
              onChoose={setScope}
            />
          </label>
          <span className="muted">
            {slice === undefined
              ? "Slices are the evaluate step's, measured again on production feedback."
              : 'A slice is measured, not judged: alerts come from the figures over all predictions.'}
          </span>
        </div>
      )}
      {note && <p className="monitor-empty">{note}</p>}
      {series.length === 0 && !note && slice !== undefined && (
        <p className="monitor-empty">No check has measured this slice yet.</p>
      )}
      <div className="performance-charts">
        {series.map((each) => (
          <MetricChart key={each.metric} series={each} slice={slice} />
        ))}
      </div>
    </>
  );
}

/** The dots' colour on a slice's chart, whose points have no state. */
const UNJUDGED = '#3b5bdb';

function MetricChart({ series, slice }: { series: MetricSeries; slice: string | undefined }) {
  const { points } = series;
  const axis = timeAxisProps(points.map((point) => point.t));
  const values = [
    ...points.flatMap((point) => (point.value === null ? [] : [point.value])),
    ...(series.test === null ? [] : [series.test]),
    ...(series.threshold === null ? [] : [series.threshold]),
  ];
  // Round the axis to steps of 0.02 (or of the figures' own size) so its ticks read as plain numbers.
  const step = niceStep(Math.max(...values) - Math.min(...values));
  const low = Math.floor(Math.min(...values) / step) * step - step;
  const high = Math.ceil(Math.max(...values) / step) * step + step;
  const name = metricName(series.metric);
  const latest = points.at(-1);
  const titleId = `metric-${series.metric}-title`;
  const title = slice === undefined ? `${name} on feedback` : `${name} on feedback · ${slice}`;
  return (
    <div className="metric-chart">
      <div className="chart-head">
        <h3 id={titleId}>{title}</h3>
        {latest && (
          <span className="chart-latest">
            latest <strong>{formatNumber(latest.value)}</strong> on {formatCount(latest.labelled)} labelled
            {series.judged && (
              <>
                {' '}
                <span className={`state-pill state-${latest.state}`}>{STATE_LABELS[latest.state]}</span>
              </>
            )}
          </span>
        )}
      </div>
      <div className="chart-box" role="img" aria-labelledby={titleId}>
        <ResponsiveContainer width="100%" height={230}>
          <ComposedChart data={points} margin={{ top: 10, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="#eef0f3" />
            <XAxis {...axis} />
            <YAxis
              yAxisId="metric"
              type="number"
              domain={[low, high]}
              ticks={ticksBetween(low, high, step)}
              tickFormatter={(value: number) => formatNumber(value, true)}
              tick={{ fontSize: 11 }}
              width={48}
            />
            <YAxis
              yAxisId="labelled"
              orientation="right"
              tickFormatter={(value: number) => formatNumber(value, true)}
              tick={{ fontSize: 11, fill: '#868e96' }}
              width={44}
              label={{ value: 'labelled', angle: 90, position: 'insideRight', fontSize: 11, fill: '#868e96' }}
            />
            <Bar
              yAxisId="labelled"
              dataKey="labelled"
              fill="#e9ecef"
              maxBarSize={18}
              isAnimationActive={false}
            />
            {series.test !== null && (
              <ReferenceLine
                yAxisId="metric"
                y={series.test}
                stroke="#5b6474"
                strokeDasharray="2 3"
                label={{
                  value: `test ${formatNumber(series.test)}`,
                  position: 'insideTopRight',
                  fontSize: 11,
                  fill: '#5b6474',
                }}
              />
            )}
            {series.threshold !== null && (
              <ReferenceLine
                yAxisId="metric"
                y={series.threshold}
                stroke={STATE_COLORS.alert}
                strokeDasharray="5 4"
                label={{
                  value: `threshold ${formatNumber(series.threshold)}`,
                  position: 'insideBottomRight',
                  fontSize: 11,
                  fill: '#c92a2a',
                }}
              />
            )}
            <Line
              yAxisId="metric"
              type="linear"
              dataKey="value"
              stroke="#3b5bdb"
              strokeWidth={2}
              connectNulls
              isAnimationActive={false}
              dot={(props: { cx?: number; cy?: number; index?: number }) => {
                const point = props.index === undefined ? undefined : points[props.index];
                if (!point || point.value === null || props.cx === undefined || props.cy === undefined)
                  return <g key={props.index} />;
                return (
                  <circle
                    key={props.index}
                    cx={props.cx}
                    cy={props.cy}
                    r={4}
                    fill={series.judged ? STATE_COLORS[point.state] : UNJUDGED}
                    stroke="#fff"
                    strokeWidth={1.5}
                  />
                );
              }}
            />
            <Tooltip
              content={({ active, payload }) => {
                const t: unknown = payload?.[0]?.payload?.t;
                const point = active ? points.find((each) => each.t === t) : undefined;
                if (!point) return null;
                return (
                  <div className="chart-tooltip">
                    <strong>
                      {name} {formatNumber(point.value)}
                    </strong>
                    {series.judged && (
                      <div style={{ color: STATE_COLORS[point.state] }}>{STATE_LABELS[point.state]}</div>
                    )}
                    <div>{formatCount(point.labelled)} labelled predictions</div>
                    <div className="muted">{fullDateTime(new Date(point.t))}</div>
                  </div>
                );
              }}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <ul className="chart-legend">
        <li>
          <span className="legend-line" aria-hidden="true" /> {name} per check
        </li>
        {series.test !== null && (
          <li>
            <span className="legend-line legend-test" aria-hidden="true" /> the version's test figure
          </li>
        )}
        {series.threshold !== null && (
          <li>
            <span className="legend-line legend-threshold" aria-hidden="true" /> alert threshold
          </li>
        )}
        <li>
          <span className="legend-bar" aria-hidden="true" /> labelled predictions behind each point
        </li>
      </ul>
    </div>
  );
}

/** A step of 0.01, 0.02, 0.05, 0.1, … (times a power of ten) giving about five ticks over `span`. */
function niceStep(span: number): number {
  const rough = Math.max(span, 1e-6) / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const scaled = rough / power;
  return (scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10) * power;
}

function ticksBetween(low: number, high: number, step: number): number[] {
  const count = Math.round((high - low) / step);
  return Array.from({ length: count + 1 }, (_, index) => Number((low + index * step).toFixed(10)));
}
