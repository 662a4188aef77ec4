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
