import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatCount, formatNumber } from '../_components/format';
import { timeAxisProps } from './chart-parts';
import { type Check, fullDateTime, trafficSeries } from './monitoring-view';

const LATENCY_COLORS = { p50: '#3b5bdb', p95: '#f08c00', p99: '#e03131' };

/** Predictions per check (the check's window) and the latency percentiles the log recorded. */
export function TrafficCharts({ checks }: { checks: readonly Check[] }) {
  const points = trafficSeries(checks);
  const axis = timeAxisProps(points.map((point) => point.t));
  const hasLatency = points.some((point) => point.p50 !== null);
  const tooltipTime = (value: unknown) => (typeof value === 'number' ? fullDateTime(new Date(value)) : '');
  return (
    <div className="monitor-columns">
      <section className="panel" aria-labelledby="volume-heading">
        <h2 id="volume-heading">Prediction volume</h2>
        <p className="panel-note muted">Predictions logged in each check's window.</p>
        <div className="chart-box" role="img" aria-label="Predictions per check over time">
          <ResponsiveContainer width="100%" height={200}>
            <BarChart data={points} margin={{ top: 6, right: 12, bottom: 0, left: 0 }}>
              <CartesianGrid stroke="#eef0f3" vertical={false} />
              <XAxis {...axis} />
              <YAxis
                tickFormatter={(value: number) => formatNumber(value, true)}
                tick={{ fontSize: 11 }}
                width={48}
              />
              <Tooltip
                labelFormatter={tooltipTime}
                formatter={(value) => [typeof value === 'number' ? formatCount(value) : '–', 'Predictions']}
                contentStyle={{ fontSize: 12, borderRadius: 6 }}
              />
              <Bar
                dataKey="predictions"
                fill="#748ffc"
                radius={[3, 3, 0, 0]}
                maxBarSize={28}
                isAnimationActive={false}
              />
            </BarChart>
          </ResponsiveContainer>
        </div>
      </section>
      <section className="panel" aria-labelledby="latency-heading">
        <h2 id="latency-heading">Latency</h2>
        <p className="panel-note muted">Milliseconds per request, percentiles over each window.</p>
        {hasLatency ? (
          <div className="chart-box" role="img" aria-label="Latency percentiles over time">
            <ResponsiveContainer width="100%" height={200}>
              <LineChart data={points} margin={{ top: 6, right: 12, bottom: 0, left: 0 }}>
                <CartesianGrid stroke="#eef0f3" />
                <XAxis {...axis} />
                <YAxis
                  unit=" ms"
                  tickFormatter={(value: number) => formatNumber(value, true)}
                  tick={{ fontSize: 11 }}
                  width={56}
                />
                <Tooltip
                  labelFormatter={tooltipTime}
                  formatter={(value, name) => [
                    typeof value === 'number' ? `${formatNumber(value)} ms` : '–',
                    name,
                  ]}
                  contentStyle={{ fontSize: 12, borderRadius: 6 }}
                />
                <Legend iconType="plainline" wrapperStyle={{ fontSize: 12 }} />
                {(['p50', 'p95', 'p99'] as const).map((key) => (
                  <Line
                    key={key}
                    type="linear"
                    dataKey={key}
                    name={key}
                    stroke={LATENCY_COLORS[key]}
                    strokeWidth={2}
                    dot={false}
                    connectNulls
                    isAnimationActive={false}
                  />
                ))}
              </LineChart>
            </ResponsiveContainer>
          </div>
        ) : (
          <p className="muted">No latency recorded: the checks compared datasets, not the prediction log.</p>
        )}
      </section>
    </div>
  );
}
