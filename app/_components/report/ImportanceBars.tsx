'use client';

import type { FeatureImportance } from '../../../nodes/evaluate/report-schema';
import { formatNumber } from '../format';

/** Importances shown at most. */
export const TOP_FEATURES = 15;

/** The most important features as bars, longest first. */
export function ImportanceBars({ items }: { items: FeatureImportance[] }) {
  const top = [...items].sort((a, b) => b.importance - a.importance).slice(0, TOP_FEATURES);
  const max = Math.max(0, ...top.map((item) => item.importance));
  if (!top.length) return <p className="report-muted">No feature importances were recorded.</p>;
  return (
    <ol className="report-bars">
      {top.map((item) => {
        const share = max > 0 ? Math.max(0, item.importance) / max : 0;
        return (
          <li key={item.feature}>
            <span className="report-bar-name" title={item.feature}>
              {item.feature}
            </span>
            <span className="report-bar-track" aria-hidden="true">
              <span className="report-bar-fill" style={{ width: `${(share * 100).toFixed(1)}%` }} />
            </span>
            <span className={`report-bar-value${item.importance <= 0 ? ' report-muted' : ''}`}>
              {formatNumber(item.importance, true)}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
