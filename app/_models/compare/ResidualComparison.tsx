'use client';

import { formatCount, formatNumber } from '../../_components/format';
import type { ResidualStats, VersionSide } from './comparison-schema';
import { betterOf } from './metric-rows';
import { NOT_RECORDED, sideName } from './sides';

/** Regression: the test residuals (actual − predicted) of both versions summed up. Closer to zero is better. */
const STATISTICS: { key: keyof Omit<ResidualStats, 'rows'>; label: string; help: string }[] = [
  { key: 'mean', label: 'Mean residual (bias)', help: 'Above zero: the model under-predicts on average' },
  { key: 'std', label: 'Standard deviation', help: 'How widely the errors spread' },
  { key: 'meanAbsolute', label: 'Mean absolute residual', help: 'The typical size of an error' },
  { key: 'maxAbsolute', label: 'Largest absolute residual', help: 'The worst single error' },
];

export function ResidualComparison({ a, b }: { a: VersionSide; b: VersionSide }) {
  return (
    <table className="data-table compare-metrics" data-testid="compare-residuals">
      <thead>
        <tr>
          <th scope="col">Residuals</th>
          <th scope="col" className="numeric">
            A · {sideName(a)}
          </th>
          <th scope="col" className="numeric">
            B · {sideName(b)}
          </th>
          <th scope="col">Better</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th scope="row">Test rows sampled</th>
          <td className="numeric">{a.residuals ? formatCount(a.residuals.rows) : NOT_RECORDED}</td>
          <td className="numeric">{b.residuals ? formatCount(b.residuals.rows) : NOT_RECORDED}</td>
          <td />
        </tr>
        {STATISTICS.map((statistic) => {
          const first = a.residuals?.[statistic.key] ?? null;
          const second = b.residuals?.[statistic.key] ?? null;
          // Every statistic here is an error: the smaller size wins (the bias by its size).
          const better = betterOf(
            first === null ? null : Math.abs(first),
            second === null ? null : Math.abs(second),
            true,
          );
          return (
            <tr key={statistic.key}>
              <th scope="row" title={statistic.help}>
                {statistic.label}
              </th>
              <td className="numeric">{formatNumber(first)}</td>
              <td className="numeric">{formatNumber(second)}</td>
              <td>
                {better === 'a' || better === 'b' ? (
                  <span className={`compare-winner compare-winner-${better}`}>
                    v{(better === 'a' ? a : b).version}
                  </span>
                ) : (
                  <span className="muted">{better === 'tie' ? 'tie' : '–'}</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
