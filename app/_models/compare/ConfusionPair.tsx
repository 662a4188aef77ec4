'use client';

import { formatCount, formatLabel } from '../../_components/format';
import type { Confusion, VersionSide } from './comparison-schema';
import { NOT_RECORDED, sideName } from './sides';
import '../../_components/report/report.css';

/**
 * The two versions' confusion matrices side by side: counts, each cell shaded by its share of its
 * actual class (blue on the diagonal, red off it), as the run's report draws one.
 */
export function ConfusionPair({ a, b }: { a: VersionSide; b: VersionSide }) {
  return (
    <div className="compare-pair">
      {(
        [
          ['a', a],
          ['b', b],
        ] as const
      ).map(([id, side]) => (
        <figure key={id} className="compare-pair-item" data-testid={`confusion-${id}`}>
          <figcaption>
            <span className={`compare-key compare-key-${id}`} aria-hidden="true" />
            {id.toUpperCase()} · {sideName(side)}
            {side.confusion && (
              <span className="muted"> · {formatCount(total(side.confusion))} test rows</span>
            )}
          </figcaption>
          {side.confusion ? (
            <ConfusionTable confusion={side.confusion} name={sideName(side)} />
          ) : (
            <p className="muted compare-missing">{NOT_RECORDED}</p>
          )}
        </figure>
      ))}
    </div>
  );
}

function total(confusion: Confusion): number {
  return confusion.matrix.flat().reduce((sum, count) => sum + count, 0);
}

function ConfusionTable({ confusion, name }: { confusion: Confusion; name: string }) {
  const { labels, matrix } = confusion;
  return (
    <div className="compare-matrix-wrap">
      <table className={`confusion-matrix${labels.length > 4 ? ' is-compact' : ''}`}>
        <caption className="visually-hidden">
          {`Confusion matrix of ${name}: actual class in rows, predicted class in columns`}
        </caption>
        <thead>
          <tr>
            <th scope="col" className="cm-axis cm-actual-head">
              Actual ╲ predicted
            </th>
            {labels.map((label) => (
              <th key={formatLabel(label)} scope="col" className="cm-label" title={formatLabel(label)}>
                {formatLabel(label)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.map((row, actual) => {
            const label = formatLabel(labels[actual] ?? actual);
            const rowTotal = row.reduce((sum, count) => sum + count, 0);
            return (
              <tr key={label}>
                <th scope="row" className="cm-label" title={label}>
                  {label}
                </th>
                {row.map((count, predicted) => {
                  const share = rowTotal ? count / rowTotal : 0;
                  const alpha = count ? 0.1 + 0.8 * share : 0;
                  const rgb = actual === predicted ? '59, 91, 219' : '224, 49, 49';
                  const predictedLabel = formatLabel(labels[predicted] ?? predicted);
                  return (
                    <td
                      key={predictedLabel}
                      className={`cm-cell${alpha > 0.5 ? ' is-dark' : ''}`}
                      style={{ background: alpha ? `rgba(${rgb}, ${alpha.toFixed(3)})` : undefined }}
                      title={`Actual ${label}, predicted ${predictedLabel}: ${formatCount(count)} rows (${Math.round(share * 100)}% of actual ${label})`}
                    >
                      <span className="cm-count">{formatCount(count)}</span>
                      <span className="cm-share">{Math.round(share * 100)}%</span>
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
