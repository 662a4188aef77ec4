'use client';

import type { ReactNode } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Line,
  LineChart,
  ScatterChart as RechartsScatterChart,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatNumber } from '../format';
import { niceTicks } from './ticks';
import './charts.css';

/**
 * The report's charts, drawn with Recharts: small, axis-labelled, with hover tooltips. The axes keep
 * the round ticks of ./ticks (Recharts' own would be fine, but the unit square and the scatter's
 * shared domain want exactly these).
 */

export const seriesColors = ['#3b5bdb', '#e8590c', '#2f9e44', '#ae3ec9', '#1098ad', '#f08c00', '#d6336c'];

/** The drawing's proportions: as before, a 260 × 220 box that scales to its column's width. */
const ASPECT = 260 / 220;
const MARGIN = { top: 10, right: 12, bottom: 18, left: 16 };
const tick = { fontSize: 10, fill: '#5b6474' };
const axisLabel = { fontSize: 11, fill: '#5b6474' };
const gridStroke = '#eef0f4';
const referenceStroke = '#adb5bd';
const tooltipStyle = { fontSize: 12, padding: '6px 8px', borderRadius: 6, borderColor: '#dfe3ea' };
const short = (value: number) => formatNumber(value, true);

export interface Series {
  name: string;
  color: string;
  points: { x: number; y: number }[];
}

interface ChartText {
  title: string;
  /** What a screen reader hears instead of the drawing. */
  summary: string;
  xLabel: string;
  yLabel: string;
}

/** The box every chart sits in: its size, and its title and summary for screen readers. */
function ChartBox({ title, summary, children }: { title: string; summary: string; children: ReactNode }) {
  return (
    <div className="chart" role="img" aria-label={`${title}. ${summary}`}>
      <ResponsiveContainer width="100%" aspect={ASPECT}>
        {children}
      </ResponsiveContainer>
    </div>
  );
}

function axisProps(text: ChartText) {
  return {
    x: { label: { value: text.xLabel, position: 'insideBottom' as const, offset: -12, style: axisLabel } },
    y: {
      // Centred on the axis' left edge, in the margin left of the tick values.
      label: {
        value: text.yLabel,
        angle: -90,
        position: 'insideLeft' as const,
        offset: 0,
        style: { ...axisLabel, textAnchor: 'middle' as const },
      },
    },
  };
}

const unitTicks = [0, 0.25, 0.5, 0.75, 1];

/** Lines over the unit square, with an optional dashed reference line (the diagonal, a baseline). */
export function UnitLineChart(
  props: ChartText & {
    series: Series[];
    reference?: { from: [number, number]; to: [number, number]; label: string };
  },
) {
  const { series, reference } = props;
  const axes = axisProps(props);
  return (
    <ChartBox title={props.title} summary={props.summary}>
      <LineChart margin={MARGIN}>
        <CartesianGrid stroke={gridStroke} />
        <XAxis
          type="number"
          dataKey="x"
          domain={[0, 1]}
          ticks={unitTicks}
          tickFormatter={short}
          tick={tick}
          {...axes.x}
        />
        <YAxis
          type="number"
          domain={[0, 1.02]}
          ticks={unitTicks}
          tickFormatter={short}
          tick={tick}
          width={40}
          {...axes.y}
        />
        {reference && (
          <ReferenceLine
            segment={[
              { x: reference.from[0], y: reference.from[1] },
              { x: reference.to[0], y: reference.to[1] },
            ]}
            stroke={referenceStroke}
            strokeDasharray="4 3"
            ifOverflow="hidden"
          />
        )}
        {series.map((line) => (
          <Line
            key={line.name}
            data={line.points}
            dataKey="y"
            name={line.name}
            stroke={line.color}
            strokeWidth={2}
            dot={false}
            activeDot={{ r: 3 }}
            isAnimationActive={false}
          />
        ))}
        <Tooltip
          // Each line has points of its own: the hovered index is a different x on each, so every
          // entry names its own x and y.
          content={({ active, payload }) =>
            active && payload?.length ? (
              <div className="chart-tooltip">
                {payload.map((entry) => {
                  const x: unknown = entry.payload?.x;
                  return (
                    <div key={String(entry.name)}>
                      {series.length > 1 && <strong style={{ color: entry.color }}>{entry.name}</strong>}
                      <div>{`${props.xLabel} ${typeof x === 'number' ? formatNumber(x) : '–'}`}</div>
                      <div>{`${props.yLabel} ${formatNumber(Number(entry.value))}`}</div>
                    </div>
                  );
                })}
              </div>
            ) : null
          }
        />
      </LineChart>
    </ChartBox>
  );
}

/** Predicted (x) against actual (y) with the line of perfect predictions. */
export function ScatterChart(props: ChartText & { points: { x: number; y: number; label: string }[] }) {
  const values = props.points.flatMap((point) => [point.x, point.y]);
  const low = values.length ? Math.min(...values) : 0;
  const high = values.length ? Math.max(...values) : 1;
  const ticks = niceTicks(low, high);
  const pad = (high - low) * 0.04 || 1;
  // One domain for both axes, so the diagonal is at 45°.
  const lo = Math.min(low - pad, ticks[0] ?? low);
  const hi = Math.max(high + pad, ticks.at(-1) ?? high);
  const axes = axisProps(props);
  const labels = new Map(props.points.map((point, index) => [index, point.label]));
  return (
    <ChartBox title={props.title} summary={props.summary}>
      <RechartsScatterChart margin={MARGIN}>
        <CartesianGrid stroke={gridStroke} />
        <XAxis
          type="number"
          dataKey="x"
          domain={[lo, hi]}
          ticks={ticks}
          tickFormatter={short}
          tick={tick}
          allowDataOverflow
          {...axes.x}
        />
        <YAxis
          type="number"
          dataKey="y"
          domain={[lo, hi]}
          ticks={ticks}
          tickFormatter={short}
          tick={tick}
          width={40}
          allowDataOverflow
          {...axes.y}
        />
        <ReferenceLine
          segment={[
            { x: lo, y: lo },
            { x: hi, y: hi },
          ]}
          stroke={referenceStroke}
          strokeDasharray="4 3"
        />
        <Scatter
          data={props.points.map((point, index) => ({ x: point.x, y: point.y, index }))}
          fill="#3b5bdb"
          fillOpacity={0.45}
          stroke="#3b5bdb"
          strokeOpacity={0.7}
          shape={(point: { cx?: number; cy?: number }) => (
            <circle
              cx={point.cx}
              cy={point.cy}
              r={2.6}
              fill="#3b5bdb"
              fillOpacity={0.45}
              stroke="#3b5bdb"
              strokeOpacity={0.7}
              strokeWidth={0.6}
            />
          )}
          isAnimationActive={false}
        />
        <Tooltip
          contentStyle={tooltipStyle}
          cursor={{ strokeDasharray: '3 3' }}
          content={({ active, payload }) => {
            const index: unknown = payload?.[0]?.payload?.index;
            const label = active && typeof index === 'number' ? labels.get(index) : undefined;
            return label ? <div className="chart-tooltip">{label}</div> : null;
          }}
        />
      </RechartsScatterChart>
    </ChartBox>
  );
}

/** Counts of values in equal-width bins, with a dashed line at `marker` (zero for residuals). */
export function HistogramChart(props: ChartText & { values: number[]; bins?: number; marker?: number }) {
  const { values, bins = 20, marker } = props;
  const low = values.length ? Math.min(...values) : 0;
  const high = values.length ? Math.max(...values) : 1;
  const width = (high - low) / bins || 1;
  const counts = new Array<number>(bins).fill(0);
  for (const value of values) {
    const bin = Math.min(bins - 1, Math.floor((value - low) / width));
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  const top = Math.max(1, ...counts);
  const yTicks = niceTicks(0, top, 4).filter((value) => Number.isInteger(value));
  const yMax = Math.max(top, yTicks.at(-1) ?? top);
  const end = low + width * bins;
  const xTicks = niceTicks(low, end, 4);
  const data = counts.map((count, index) => ({
    mid: low + (index + 0.5) * width,
    from: low + index * width,
    to: low + (index + 1) * width,
    count,
  }));
  const axes = axisProps(props);
  return (
    <ChartBox title={props.title} summary={props.summary}>
      <BarChart data={data} margin={MARGIN} barCategoryGap={1}>
        <CartesianGrid stroke={gridStroke} />
        <XAxis
          type="number"
          dataKey="mid"
          domain={[low, end]}
          ticks={xTicks}
          tickFormatter={short}
          tick={tick}
          {...axes.x}
        />
        <YAxis
          type="number"
          domain={[0, yMax]}
          ticks={yTicks}
          tickFormatter={short}
          tick={tick}
          width={40}
          allowDecimals={false}
          {...axes.y}
        />
        <Bar dataKey="count" fill="#3b5bdb" fillOpacity={0.75} isAnimationActive={false} />
        {marker !== undefined && marker >= low && marker <= end && (
          <ReferenceLine x={marker} stroke={referenceStroke} strokeDasharray="4 3" />
        )}
        <Tooltip
          contentStyle={tooltipStyle}
          cursor={{ fill: '#eef1f6' }}
          content={({ active, payload }) => {
            const bin = payload?.[0]?.payload;
            if (!active || !bin || typeof bin.from !== 'number' || typeof bin.to !== 'number') return null;
            return (
              <div className="chart-tooltip">{`${formatNumber(bin.from)} to ${formatNumber(bin.to)}: ${String(bin.count)}`}</div>
            );
          }}
        />
      </BarChart>
    </ChartBox>
  );
}

/** A colour swatch and name per series, under a chart with more than one line. */
export function Legend({ items }: { items: { name: string; color: string; detail?: string }[] }) {
  return (
    <ul className="chart-legend">
      {items.map((item) => (
        <li key={item.name}>
          <span className="chart-swatch" style={{ background: item.color }} aria-hidden="true" />
          {item.name}
          {item.detail && <span className="chart-legend-detail">{item.detail}</span>}
        </li>
      ))}
    </ul>
  );
}
