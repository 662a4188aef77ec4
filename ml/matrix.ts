import type { FeatureMatrix } from './linear/ridge';

/** The listed rows of a row-major matrix, copied into a compact one (cache-friendly to walk). */
export function selectRows(x: FeatureMatrix, rows: Int32Array): FeatureMatrix {
  const values = new Float64Array(rows.length * x.cols);
  for (let i = 0; i < rows.length; i++) {
    const start = (rows[i] ?? 0) * x.cols;
    values.set(x.values.subarray(start, start + x.cols), i * x.cols);
  }
  return { values, rows: rows.length, cols: x.cols };
}

/**
 * At most `limit` of rows 0..count − 1, evenly spaced and in order (all of them when they fit): a
 * sample that follows the data however it is ordered, the same each time.
 */
export function evenlySpacedRows(count: number, limit: number): Int32Array {
  const taken = Math.min(count, limit);
  return Int32Array.from({ length: taken }, (_, i) => Math.floor((i * count) / taken));
}
