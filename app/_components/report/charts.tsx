'use client';

import { type ReactNode, useId } from 'react';
import { formatNumber } from '../format';
import { niceTicks } from './ticks';

/** Plain-SVG charts for the report: small, axis-labelled, no chart library. */

export const seriesColors = ['#3b5bdb', '#e8590c', '#2f9e44', '#ae3ec9', '#1098ad', '#f08c00', '#d6336c'];

const WIDTH = 260;
const HEIGHT = 220;
const MARGIN = { top: 10, right: 12, bottom: 36, left: 44 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;

interface Domain {
  x: [number, number];
  y: [number, number];
}

function scales(domain: Domain) {
  const [x0, x1] = domain.x;
  const [y0, y1] = domain.y;
  return {
    x: (value: number) => MARGIN.left + ((value - x0) / (x1 - x0 || 1)) * PLOT_W,
    y: (value: number) => MARGIN.top + PLOT_H - ((value - y0) / (y1 - y0 || 1)) * PLOT_H,
  };
}

export interface Series {
  name: string;
  color: string;
  points: { x: number; y: number }[];
}

interface FrameProps {
  title: string;
  /** What a screen reader hears instead of the drawing. */
  summary: string;
  xLabel: string;
  yLabel: string;
  domain: Domain;
  xTicks: number[];
  yTicks: number[];
  children: (scale: ReturnType<typeof scales>) => ReactNode;
}

/** Axes, grid and labels around whatever `children` draws in data coordinates. */
function ChartFrame({ title, summary, xLabel, yLabel, domain, xTicks, yTicks, children }: FrameProps) {
  const titleId = useId();
  const clipId = useId();
  const scale = scales(domain);
  const bottom = MARGIN.top + PLOT_H;
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-labelledby={titleId}
      preserveAspectRatio="xMidYMid meet"
    >
      <title id={titleId}>{`${title}. ${summary}`}</title>
      <defs>
        <clipPath id={clipId}>
          <rect x={MARGIN.left} y={MARGIN.top} width={PLOT_W} height={PLOT_H} />
        </clipPath>
      </defs>
      <g className="chart-grid">
        {xTicks.map((tick) => (
          <line key={`x${tick}`} x1={scale.x(tick)} x2={scale.x(tick)} y1={MARGIN.top} y2={bottom} />
        ))}
        {yTicks.map((tick) => (
          <line
            key={`y${tick}`}
            x1={MARGIN.left}
            x2={MARGIN.left + PLOT_W}
            y1={scale.y(tick)}
            y2={scale.y(tick)}
          />
        ))}
      </g>
      <rect className="chart-border" x={MARGIN.left} y={MARGIN.top} width={PLOT_W} height={PLOT_H} />
      <g className="chart-ticks">
        {xTicks.map((tick) => (
          <text key={`x${tick}`} x={scale.x(tick)} y={bottom + 13} textAnchor="middle">
            {formatNumber(tick, true)}
          </text>
        ))}
        {yTicks.map((tick) => (
          <text key={`y${tick}`} x={MARGIN.left - 5} y={scale.y(tick) + 3.5} textAnchor="end">
            {formatNumber(tick, true)}
          </text>
        ))}
      </g>
      <text className="chart-axis-label" x={MARGIN.left + PLOT_W / 2} y={HEIGHT - 4} textAnchor="middle">
        {xLabel}
      </text>
      <text
        className="chart-axis-label"
        transform={`translate(11 ${MARGIN.top + PLOT_H / 2}) rotate(-90)`}
        textAnchor="middle"
      >
        {yLabel}
      </text>
      <g clipPath={`url(#${clipId})`}>{children(scale)}</g>
    </svg>
  );
}

const unitTicks = [0, 0.25, 0.5, 0.75, 1];

/** Lines over the unit square, with an optional dashed reference line (the diagonal, a baseline). */
export function UnitLineChart(props: {
  title: string;
  summary: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  reference?: { from: [number, number]; to: [number, number]; label: string };
}) {
  const { series, reference } = props;
  return (
    <ChartFrame
      title={props.title}
      summary={props.summary}
      xLabel={props.xLabel}
      yLabel={props.yLabel}
      domain={{ x: [0, 1], y: [0, 1.02] }}
      xTicks={unitTicks}
      yTicks={unitTicks}
    >
      {(scale) => (
        <>
          {reference && (
            <line
              className="chart-reference"
              x1={scale.x(reference.from[0])}
              y1={scale.y(reference.from[1])}
              x2={scale.x(reference.to[0])}
              y2={scale.y(reference.to[1])}
            >
              <title>{reference.label}</title>
            </line>
          )}
          {series.map((line) => (
            <polyline
              key={line.name}
              className="chart-line"
              stroke={line.color}
              points={line.points.map((point) => `${scale.x(point.x)},${scale.y(point.y)}`).join(' ')}
            >
              <title>{line.name}</title>
            </polyline>
          ))}
        </>
      )}
    </ChartFrame>
  );
}

/** Predicted (x) against actual (y) with the line of perfect predictions. */
export function ScatterChart(props: {
  title: string;
  summary: string;
  xLabel: string;
  yLabel: string;
  points: { x: number; y: number; label: string }[];
}) {
  const values = props.points.flatMap((point) => [point.x, point.y]);
  const low = values.length ? Math.min(...values) : 0;
  const high = values.length ? Math.max(...values) : 1;
  const ticks = niceTicks(low, high);
  const pad = (high - low) * 0.04 || 1;
  // One domain for both axes, so the diagonal is at 45°.
  const lo = Math.min(low - pad, ticks[0] ?? low);
  const hi = Math.max(high + pad, ticks.at(-1) ?? high);
  return (
    <ChartFrame
      title={props.title}
      summary={props.summary}
      xLabel={props.xLabel}
      yLabel={props.yLabel}
      domain={{ x: [lo, hi], y: [lo, hi] }}
      xTicks={ticks}
      yTicks={ticks}
    >
      {(scale) => (
        <>
          <line
            className="chart-reference"
            x1={scale.x(lo)}
            y1={scale.y(lo)}
            x2={scale.x(hi)}
            y2={scale.y(hi)}
          >
            <title>Predicted = actual</title>
          </line>
          {props.points.map((point, index) => (
            <circle
              // Points have no identity beyond their position in the sample.
              // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list drawn once
              key={index}
              className="chart-dot"
              cx={scale.x(point.x)}
              cy={scale.y(point.y)}
              r={2.6}
            >
              <title>{point.label}</title>
            </circle>
          ))}
        </>
      )}
    </ChartFrame>
  );
}

/** Counts of values in equal-width bins, with a dashed line at `marker` (zero for residuals). */
export function HistogramChart(props: {
  title: string;
  summary: string;
  xLabel: string;
  yLabel: string;
  values: number[];
  bins?: number;
  marker?: number;
}) {
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
  const yTicks = niceTicks(0, top, 4).filter((tick) => Number.isInteger(tick));
  const yMax = Math.max(top, yTicks.at(-1) ?? top);
  const xTicks = niceTicks(low, low + width * bins, 4);
  return (
    <ChartFrame
      title={props.title}
      summary={props.summary}
      xLabel={props.xLabel}
      yLabel={props.yLabel}
      domain={{ x: [low, low + width * bins], y: [0, yMax] }}
      xTicks={xTicks}
      yTicks={yTicks}
    >
      {(scale) => (
        <>
          {counts.map((count, index) => {
            const from = low + index * width;
            const x0 = scale.x(from);
            const x1 = scale.x(from + width);
            return count ? (
              <rect
                key={from}
                className="chart-bar"
                x={x0 + 0.5}
                y={scale.y(count)}
                width={Math.max(0.5, x1 - x0 - 1)}
                height={scale.y(0) - scale.y(count)}
              >
                <title>{`${formatNumber(from)} to ${formatNumber(from + width)}: ${count}`}</title>
              </rect>
            ) : null;
          })}
          {marker !== undefined && marker >= low && marker <= low + width * bins && (
            <line
              className="chart-reference"
              x1={scale.x(marker)}
              x2={scale.x(marker)}
              y1={scale.y(0)}
              y2={scale.y(yMax)}
            />
          )}
        </>
      )}
    </ChartFrame>
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
