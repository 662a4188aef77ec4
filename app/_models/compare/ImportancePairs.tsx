'use client';

import { useState } from 'react';
import { formatNumber } from '../../_components/format';
import { type ImportanceKind, ImportanceKindSwitch } from '../../_components/report/ImportanceKindSwitch';
import type { ImportanceComparison, ImportancePair, VersionSide } from './comparison-schema';
import { NOT_RECORDED, sideName } from './sides';
import '../../_components/report/report.css';

/**
 * Feature importances as paired bars, A above B, sorted by the larger of the two, on one scale.
 * With permutation importances for both versions, a switch chooses the measure.
 */
export function ImportancePairs({
  importances,
  a,
  b,
}: {
  importances: ImportanceComparison;
  a: VersionSide;
  b: VersionSide;
}) {
  const [kind, setKind] = useState<ImportanceKind>('model');
  const pairs =
    kind === 'permutation' && importances.permutation.length ? importances.permutation : importances.model;
  if (!importances.recorded.a && !importances.recorded.b)
    return <p className="muted">{NOT_RECORDED.replace('this version', 'either version')}.</p>;
  const scale = Math.max(0, ...pairs.flatMap((pair) => [pair.a ?? 0, pair.b ?? 0]));
  return (
    <div className="compare-importances">
      <div className="compare-importance-head">
        <ul className="chart-legend">
          {(['a', 'b'] as const).map((id) => (
            <li key={id}>
              <span className={`compare-key compare-key-${id}`} aria-hidden="true" />
              {id.toUpperCase()} · {sideName(id === 'a' ? a : b)}
              {!importances.recorded[id] && <span className="chart-legend-detail">{NOT_RECORDED}</span>}
            </li>
          ))}
        </ul>
        {importances.permutation.length > 0 && (
          <ImportanceKindSwitch kind={kind} onChange={setKind} modelLabel="Model's own" />
        )}
      </div>
      <ol className="compare-bars" data-testid="compare-importances">
        {pairs.map((pair) => (
          <li key={pair.feature}>
            <span className="compare-bar-name" title={pair.feature}>
              {pair.feature}
            </span>
            <span className="compare-bar-pair">
              <Bar id="a" value={pair.a} scale={scale} />
              <Bar id="b" value={pair.b} scale={scale} />
            </span>
            <span className="compare-bar-values">
              <span>{formatNumber(pair.a, true)}</span>
              <span>{formatNumber(pair.b, true)}</span>
            </span>
          </li>
        ))}
      </ol>
      <p className="muted compare-note">
        {kind === 'permutation' && importances.permutation.length
          ? 'Drop in the test score when the feature’s values are shuffled.'
          : 'Each model’s own importances (split gain, or coefficient size for linear models), as shares of its total.'}
        {importances.features > pairs.length
          ? ` Top ${pairs.length} of ${importances.features} features.`
          : ''}
        {importances.recorded.a && importances.recorded.b
          ? ' A dash: the version does not use the feature.'
          : ''}
      </p>
    </div>
  );
}

function Bar({ id, value, scale }: { id: 'a' | 'b'; value: ImportancePair['a']; scale: number }) {
  const share = value !== null && scale > 0 ? Math.max(0, value) / scale : 0;
  return (
    <span className="compare-bar-track" aria-hidden="true">
      <span
        className={`compare-bar-fill compare-bar-${id}`}
        style={{ width: `${(share * 100).toFixed(1)}%` }}
      />
    </span>
  );
}
