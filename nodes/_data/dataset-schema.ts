import { z } from 'zod';

/** The column a split travels in, so later fitted transforms learn only from training rows. */
export const SPLIT_COLUMN = '_split';

/** How a column is treated: drives column pickers, transforms and the model's input tensors. */
export const logicalTypes = ['numeric', 'categorical', 'boolean', 'datetime', 'text'] as const;
export const logicalTypeSchema = z.enum(logicalTypes);
export type LogicalType = z.infer<typeof logicalTypeSchema>;

export const columnSchema = z.object({
  name: z.string(),
  type: logicalTypeSchema,
  /** The DuckDB storage type, e.g. DOUBLE, VARCHAR, TIMESTAMP. */
  storage: z.string(),
});

export const datasetSchemaSchema = z.object({ columns: z.array(columnSchema) });
export type DatasetColumn = z.infer<typeof columnSchema>;
export type DatasetSchema = z.infer<typeof datasetSchemaSchema>;

/** Text columns with at most this many distinct values count as categorical… */
export const CATEGORICAL_MAX_DISTINCT = 50;
/** …and so do larger ones up to this many, when they repeat (distinct values under 5% of rows). */
const CATEGORICAL_MAX_REPEATING = 1000;

/** The logical type of a DuckDB storage type; VARCHAR is split by `distinct` into categorical and text. */
export function logicalTypeOf(storage: string, distinct: number, rows: number): LogicalType {
  const type = storage.toUpperCase();
  if (type === 'BOOLEAN') return 'boolean';
  if (
    /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL)$/.test(
      type,
    ) ||
    type.startsWith('DECIMAL')
  ) {
    return 'numeric';
  }
  if (/^(DATE|TIME|TIMESTAMP)/.test(type)) return 'datetime';
  if (distinct <= CATEGORICAL_MAX_DISTINCT) return 'categorical';
  if (distinct <= CATEGORICAL_MAX_REPEATING && distinct <= rows * 0.05) return 'categorical';
  return 'text';
}
