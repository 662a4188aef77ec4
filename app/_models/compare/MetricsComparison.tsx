'use client';

import { formatNumber } from '../../_components/format';
import { metricName } from '../format';
import type { MetricRow, VersionSide } from './comparison-schema';
import { sideName, signed } from './sides';

/**
 * The two versions' test metrics: both figures, the change from A to B with an arrow, green when
 * B is better and red when worse (by the metric's direction), and which version wins.
 */
export function MetricsComparison({ rows, a, b }: { rows: MetricRow[]; a: VersionSide; b: VersionSide }) {
  if (rows.length === 0) return <p className="muted">Neither version recorded test metrics.</p>;
  return (
    <table className="data-table compare-metrics" data-testid="compare-metrics">
      <thead>
        <tr>
          <th scope="col">Metric</th>
          <th scope="col" className="numeric">
            <span className="compare-key compare-key-a" aria-hidden="true" />A · {sideName(a)}
          </th>
          <th scope="col" className="numeric">
            <span className="compare-key compare-key-b" aria-hidden="true" />B · {sideName(b)}
          </th>
          <th scope="col" className="numeric">
            Change (B − A)
          </th>
          <th scope="col">Better</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.name}>
            <th scope="row" title={row.lowerIsBetter ? 'Lower is better' : 'Higher is better'}>
              {metricName(row.name)}
              <span className="muted compare-direction">{row.lowerIsBetter ? ' ↓ better' : ' ↑ better'}</span>
            </th>
            <td className="numeric">{formatNumber(row.a)}</td>
            <td className="numeric">{formatNumber(row.b)}</td>
            <td className="numeric">
              <Change row={row} />
            </td>
            <td>
              <Winner row={row} a={a} b={b} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Change({ row }: { row: MetricRow }) {
  if (row.delta === null) return <span className="muted">–</span>;
  const tone = row.better === 'b' ? 'is-better' : row.better === 'a' ? 'is-worse' : 'is-same';
  const arrow = row.better === 'tie' ? '' : row.delta > 0 ? '▲ ' : '▼ ';
  return (
    <span className={`compare-change ${tone}`}>
      <span aria-hidden="true">{arrow}</span>
      {signed(formatNumber(Math.abs(row.delta)), row.delta)}
      <span className="visually-hidden">
        {row.better === 'b' ? ' (B better)' : row.better === 'a' ? ' (B worse)' : ' (no change)'}
      </span>
    </span>
  );
}

function Winner({ row, a, b }: { row: MetricRow; a: VersionSide; b: VersionSide }) {
  if (row.better === null) return <span className="muted">–</span>;
  if (row.better === 'tie') return <span className="muted">tie</span>;
  const side = row.better === 'a' ? a : b;
  return <span className={`compare-winner compare-winner-${row.better}`}>v{side.version}</span>;
}
