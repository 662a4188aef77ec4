'use client';

import { useId, useState } from 'react';
import { formatLabel, formatNumber } from '../../_components/format';
import { Legend, type Series, UnitLineChart } from '../../_components/report/charts';
import type { RocCurve, VersionSide } from './comparison-schema';
import { NOT_RECORDED, SIDE_COLORS, sideName } from './sides';
import '../../_components/report/report.css';

/**
 * Both versions' ROC curves on one chart, A blue and B orange, with each one's AUC in the legend.
 * With more than two classes each version has a curve per class against the rest: one class at a
 * time, chosen above the chart.
 */
export function RocOverlay({ a, b }: { a: VersionSide; b: VersionSide }) {
  const classes = classesOf(a.roc, b.roc);
  const [picked, setPicked] = useState(0);
  const selectId = useId();
  const shown = classes[Math.min(picked, classes.length - 1)];
  const curveOf = (side: VersionSide) =>
    side.roc?.length === 1 ? side.roc[0] : side.roc?.find((curve) => key(curve.class) === shown);
  const sides = [
    { id: 'a' as const, side: a, curve: curveOf(a) },
    { id: 'b' as const, side: b, curve: curveOf(b) },
  ];
  const series: Series[] = sides.flatMap(({ id, side, curve }) =>
    curve
      ? [{ name: `${id.toUpperCase()} · ${sideName(side)}`, color: SIDE_COLORS[id], points: curve.points }]
      : [],
  );
  return (
    <div className="compare-roc">
      {classes.length > 1 && (
        <label className="compare-inline-field" htmlFor={selectId}>
          Class against the rest{' '}
          <select id={selectId} value={picked} onChange={(event) => setPicked(Number(event.target.value))}>
            {classes.map((label, index) => (
              <option key={label} value={index}>
                {label}
              </option>
            ))}
          </select>
        </label>
      )}
      <div className="compare-roc-chart">
        <UnitLineChart
          title="ROC curves of both versions"
          summary={sides
            .map(
              ({ side, curve }) =>
                `${sideName(side)}: ${curve ? `AUC ${formatNumber(curve.auc)}` : NOT_RECORDED}`,
            )
            .join('; ')}
          xLabel="False positive rate"
          yLabel="True positive rate"
          series={series}
          reference={{ from: [0, 0], to: [1, 1], label: 'Random guessing' }}
        />
      </div>
      <Legend
        items={sides.map(({ id, side, curve }) => ({
          name: `${id.toUpperCase()} · ${sideName(side)}`,
          color: SIDE_COLORS[id],
          detail: curve ? `AUC ${formatNumber(curve.auc)}` : NOT_RECORDED,
        }))}
      />
      <p className="muted compare-note">
        {classes.length > 1
          ? `One class against the rest; the dashed diagonal is a model that guesses.`
          : `Curves of the positive class “${classes[0] ?? ''}”; the dashed diagonal is a model that guesses.`}
      </p>
    </div>
  );
}

function key(label: RocCurve['class']): string {
  return formatLabel(label);
}

/** The classes either version has a curve for, A's order first. */
function classesOf(a: RocCurve[] | null, b: RocCurve[] | null): string[] {
  return [...new Set([...(a ?? []), ...(b ?? [])].map((curve) => key(curve.class)))];
}
