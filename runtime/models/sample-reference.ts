import type { VersionReference } from '../../registry/version-schema';
import type { ImportSample } from '../../workflows/model-import/import-files';

const DECILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
/** A text column's frequencies list at most this many values (the most frequent), as deploy's do. */
const REFERENCE_CATEGORIES = 100;

/**
 * For monitoring an imported version: each column's distribution over the sample rows, as the
 * deploy step computes it over the training rows (nodes/deploy/reference.ts): numbers' deciles
 * (interpolated as DuckDB's quantile_cont), text and yes/no frequencies, missing rates. Pure.
 */
export function sampleReference(sample: ImportSample): VersionReference {
  const reference: VersionReference = {};
  const total = sample.rows.length;
  sample.columns.forEach((column, index) => {
    const values = sample.rows.map((row) => row[index] ?? null);
    const present = values.filter((value) => value !== null);
    const missingRate = total === 0 ? 0 : (total - present.length) / total;
    if (column.type === 'number') {
      const sorted = present.map(Number).sort((a, b) => a - b);
      reference[column.name] = {
        kind: 'number',
        deciles: sorted.length === 0 ? [] : DECILES.map((q) => quantile(sorted, q)),
        missingRate,
      };
      return;
    }
    const counts = new Map<string, number>();
    for (const value of present) counts.set(String(value), (counts.get(String(value)) ?? 0) + 1);
    const top = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, REFERENCE_CATEGORIES);
    reference[column.name] = {
      kind: 'category',
      frequencies: Object.fromEntries(top.map(([value, count]) => [value, count / total])),
      missingRate,
    };
  });
  return reference;
}

/** The q-quantile of sorted values, interpolated between the two nearest (quantile_cont). */
function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const low = sorted[below] ?? 0;
  const high = sorted[Math.min(below + 1, sorted.length - 1)] ?? low;
  return low + (high - low) * (position - below);
}
