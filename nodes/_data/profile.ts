import type { DuckDBValue } from '@duckdb/node-api';
import { z } from 'zod';
import { type DatasetColumn, type DatasetSchema, type LogicalType, logicalTypeOf } from './dataset-schema';
import { type Duck, numberOf, type Plain } from './duck';
import { quoteIdent } from './sql';

export const HISTOGRAM_BINS = 20;
/** Up to this many rows, distinct counts are exact. */
export const EXACT_DISTINCT_ROWS = 100_000;
const TOP_VALUES = 10;

const plainSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const columnProfileSchema = z.object({
  name: z.string(),
  type: z.string(),
  missing: z.number(),
  missingFraction: z.number(),
  distinct: z.number(),
  min: plainSchema,
  max: plainSchema,
  mean: z.number().nullable(),
  std: z.number().nullable(),
  topValues: z.array(z.object({ value: plainSchema, count: z.number() })),
  /** 20 equal-width bins from min to max (numeric columns only). */
  histogram: z.array(z.object({ from: z.number(), to: z.number(), count: z.number() })),
});

export const datasetProfileSchema = z.object({ rows: z.number(), columns: z.array(columnProfileSchema) });
export type ColumnProfile = z.infer<typeof columnProfileSchema>;
export type DatasetProfile = z.infer<typeof datasetProfileSchema>;

/** Storage types of a relation's columns, in order. */
export async function describeRelation(
  duck: Duck,
  relation: string,
  params: DuckDBValue[] = [],
): Promise<{ name: string; storage: string }[]> {
  const rows = await duck.all(`describe select * from ${relation}`, params);
  return rows.map((row) => ({ name: String(row.column_name), storage: String(row.column_type) }));
}

/**
 * Schema and profile of a relation in one pass for the counts and moments, then one grouped query
 * per column for histograms and top values.
 */
export async function profileRelation(
  duck: Duck,
  relation: string,
  params: DuckDBValue[] = [],
  typeOverrides: Record<string, LogicalType> = {},
): Promise<{ schema: DatasetSchema; profile: DatasetProfile }> {
  const described = await describeRelation(duck, relation, params);
  const { rows: rowCount } = await duck.one(`select count(*) as rows from ${relation}`, params);
  const rows = numberOf(rowCount);
  // Exact distinct counts cost a hash table per column; past EXACT_DISTINCT_ROWS a HyperLogLog
  // estimate (within a few percent) keeps profiling a million rows under a second.
  const exact = rows <= EXACT_DISTINCT_ROWS;
  const stats = described.length
    ? await duck.one(
        `select ${described.map((column, index) => statsSql(column, index, exact)).join(', ')} from ${relation}`,
        params,
      )
    : {};
  const schemaColumns: DatasetColumn[] = [];
  const columns: ColumnProfile[] = [];
  for (const [index, column] of described.entries()) {
    const get = (key: string): Plain => stats[`c${index}_${key}`] ?? null;
    const distinct = numberOf(get('distinct'));
    const type = typeOverrides[column.name] ?? logicalTypeOf(column.storage, distinct, rows);
    schemaColumns.push({ name: column.name, type, storage: column.storage });
    const missing = numberOf(get('missing'));
    const numeric = type === 'numeric';
    const min = get('min');
    const max = get('max');
    columns.push({
      name: column.name,
      type,
      missing,
      missingFraction: rows ? missing / rows : 0,
      distinct,
      min,
      max,
      mean: numeric ? nullableNumber(get('mean')) : null,
      std: numeric ? nullableNumber(get('std')) : null,
      topValues: numeric ? [] : await topValues(duck, relation, params, column.name),
      histogram: numeric
        ? await histogram(duck, relation, params, column.name, numberOf(min), numberOf(max))
        : [],
    });
  }
  return { schema: { columns: schemaColumns }, profile: { rows, columns } };
}

function statsSql(column: { name: string; storage: string }, index: number, exactDistinct: boolean): string {
  const q = quoteIdent(column.name);
  const numeric = /INT|FLOAT|DOUBLE|REAL|DECIMAL/i.test(column.storage);
  const orderable = !/^(STRUCT|MAP|LIST|UNION)/i.test(column.storage) && !column.storage.endsWith('[]');
  const parts = [
    `count(*) - count(${q}) as c${index}_missing`,
    exactDistinct
      ? `count(distinct ${q}) as c${index}_distinct`
      : `approx_count_distinct(${q}) as c${index}_distinct`,
    orderable ? `min(${q}) as c${index}_min` : `null as c${index}_min`,
    orderable ? `max(${q}) as c${index}_max` : `null as c${index}_max`,
  ];
  if (numeric)
    parts.push(`avg(${q}::double) as c${index}_mean`, `stddev_samp(${q}::double) as c${index}_std`);
  return parts.join(', ');
}

async function topValues(duck: Duck, relation: string, params: DuckDBValue[], name: string) {
  const q = quoteIdent(name);
  const rows = await duck.all(
    `select ${q}::varchar as value, count(*) as count from ${relation} where ${q} is not null group by 1 order by 2 desc, 1 limit ${TOP_VALUES}`,
    params,
  );
  return rows.map((row) => ({ value: row.value ?? null, count: numberOf(row.count) }));
}

async function histogram(
  duck: Duck,
  relation: string,
  params: DuckDBValue[],
  name: string,
  min: number,
  max: number,
) {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  const width = (max - min) / HISTOGRAM_BINS || 1;
  const q = quoteIdent(name);
  const rows = await duck.all(
    `select least(floor((${q}::double - $${params.length + 1}) / $${params.length + 2}), ${HISTOGRAM_BINS - 1})::integer as bin, count(*) as count
       from ${relation} where ${q} is not null and isfinite(${q}::double) group by 1`,
    [...params, min, width],
  );
  const counts = new Map(rows.map((row) => [numberOf(row.bin), numberOf(row.count)]));
  return Array.from({ length: HISTOGRAM_BINS }, (_, bin) => ({
    from: min + bin * width,
    to: bin === HISTOGRAM_BINS - 1 ? max : min + (bin + 1) * width,
    count: counts.get(bin) ?? 0,
  }));
}

function nullableNumber(value: Plain): number | null {
  return value === null ? null : numberOf(value);
}
