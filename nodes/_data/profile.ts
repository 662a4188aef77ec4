import type { DuckDBValue } from '@duckdb/node-api';
import { z } from 'zod';
import { dataErrorReason } from '../_kit/errors';
import { type DatasetSchema, type LogicalType, logicalTypeOf } from './dataset-schema';
import { type Duck, numberOf, type Plain, type PlainRow } from './duck';
import type { ColumnProfile, DatasetProfile } from './profile-schema';
import { quoteIdent } from './sql';

export const HISTOGRAM_BINS = 20;
/**
 * Up to this many rows everything is exact. Past it, distinct counts are HyperLogLog estimates
 * over all rows (within a few percent), and histograms and top values come from a sample of about
 * this many rows scaled to the whole: the per-column maps cost seconds at a million rows.
 */
export const EXACT_PROFILE_ROWS = 100_000;
const TOP_VALUES = 10;

export {
  type ColumnProfile,
  columnProfileSchema,
  type DatasetProfile,
  datasetProfileSchema,
} from './profile-schema';

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
 * Schema and profile of a relation in two scans whatever its width: one for the counts and moments,
 * then one for every histogram and the top values of low-cardinality columns (rarer columns with
 * many distinct values get a grouped query of their own). A scan per column cost seconds at 1M rows.
 */
export async function profileRelation(
  duck: Duck,
  relation: string,
  params: DuckDBValue[] = [],
  typeOverrides: ReadonlyMap<string, LogicalType> = new Map(),
): Promise<{ schema: DatasetSchema; profile: DatasetProfile }> {
  const described = await describeRelation(duck, relation, params);
  const { rows: rowCount } = await duck.one(`select count(*) as rows from ${relation}`, params);
  const rows = numberOf(rowCount);
  const exact = rows <= EXACT_PROFILE_ROWS;
  const stats = await columnStats(duck, relation, params, described, exact);
  const measured = described.map((column, index) => {
    const get = (key: string): Plain => stats[`c${index}_${key}`] ?? null;
    const distinct = numberOf(get('distinct'));
    const type = typeOverrides.get(column.name) ?? logicalTypeOf(column.storage, distinct, rows);
    return { ...column, index, type, distinct, get };
  });
  const shapes = await distributions(duck, exact ? relation : sampleOf(relation, rows), params, measured);
  const columns: ColumnProfile[] = measured.map(({ name, type, distinct, get, index }) => {
    const missing = numberOf(get('missing'));
    const numeric = type === 'numeric';
    return {
      name,
      type,
      missing,
      missingFraction: rows ? missing / rows : 0,
      distinct,
      min: get('min'),
      max: get('max'),
      mean: numeric ? nullableNumber(get('mean')) : null,
      std: numeric ? nullableNumber(get('std')) : null,
      topValues: shapes.topValues.get(index) ?? [],
      histogram: shapes.histograms.get(index) ?? [],
    };
  });
  const schema = { columns: measured.map(({ name, type, storage }) => ({ name, type, storage })) };
  const sampledRows = shapes.sampledRows < rows ? { sampledRows: shapes.sampledRows } : {};
  return { schema, profile: { rows, ...sampledRows, columns: scaled(columns, rows / shapes.sampledRows) } };
}

/**
 * A seeded sample of whole vectors (DuckDB's system sampling): it skips the rest rather than
 * reading it, and the same file gives the same sample.
 */
function sampleOf(relation: string, rows: number): string {
  const percent = Math.min(100, (100 * EXACT_PROFILE_ROWS) / rows);
  // A subquery, so callers can add their own where clause after it.
  return `(select * from ${relation} using sample ${percent.toFixed(6)}% (system, 42))`;
}

/** Sampled counts scaled up to the whole dataset. */
function scaled(columns: ColumnProfile[], factor: number): ColumnProfile[] {
  if (factor === 1 || !Number.isFinite(factor)) return columns;
  const scale = (count: number) => Math.round(count * factor);
  return columns.map((column) => ({
    ...column,
    topValues: column.topValues.map((entry) => ({ ...entry, count: scale(entry.count) })),
    histogram: column.histogram.map((bin) => ({ ...bin, count: scale(bin.count) })),
  }));
}

/**
 * Counts and moments of every column in one scan. Moments skip infinite and NaN values. DuckDB
 * refuses a standard deviation past the double range (values near 1e200 square to 1e400): then the
 * moments are measured again with each column scaled by a power of two near its largest magnitude,
 * which is exact, and scaled back.
 */
async function columnStats(
  duck: Duck,
  relation: string,
  params: DuckDBValue[],
  columns: { name: string; storage: string }[],
  exact: boolean,
): Promise<PlainRow> {
  if (columns.length === 0) return {};
  const scan = (scales: Map<number, number>) =>
    duck.one(
      `select ${columns.map((column, index) => statsSql(column, index, exact, scales.get(index))).join(', ')} from ${relation}`,
      params,
    );
  try {
    return await scan(new Map());
  } catch (error) {
    if (!isOutOfRange(error)) throw error;
    return scan(await magnitudeScales(duck, relation, params, columns));
  }
}

/** DuckDB's moments overflow on values near the edge of the double range: a data error, measured again scaled. */
function isOutOfRange(error: unknown): boolean {
  return (
    error instanceof Error &&
    error.message.startsWith('Out of Range Error') &&
    dataErrorReason(error) !== undefined
  );
}

/** Per numeric column, the power of two at or above its largest finite magnitude (2^1023 at most). */
async function magnitudeScales(
  duck: Duck,
  relation: string,
  params: DuckDBValue[],
  columns: { name: string; storage: string }[],
): Promise<Map<number, number>> {
  const numeric = columns.flatMap((column, index) =>
    isNumericStorage(column.storage) ? [{ column, index }] : [],
  );
  if (numeric.length === 0) return new Map();
  const row = await duck.one(
    `select ${numeric
      .map(({ column, index }) => {
        const value = `${quoteIdent(column.name)}::double`;
        return `max(abs(${value})) filter (where isfinite(${value})) as m${index}`;
      })
      .join(', ')} from ${relation}`,
    params,
  );
  const scales = new Map<number, number>();
  for (const { index } of numeric) {
    const largest = numberOf(row[`m${index}`] ?? null);
    if (Number.isFinite(largest) && largest > 0)
      scales.set(index, 2 ** Math.min(1023, Math.ceil(Math.log2(largest))));
  }
  return scales;
}

function isNumericStorage(storage: string): boolean {
  return /INT|FLOAT|DOUBLE|REAL|DECIMAL/i.test(storage);
}

function statsSql(
  column: { name: string; storage: string },
  index: number,
  exactDistinct: boolean,
  scale = 1,
): string {
  const q = quoteIdent(column.name);
  const numeric = isNumericStorage(column.storage);
  const orderable = !/^(STRUCT|MAP|LIST|UNION)/i.test(column.storage) && !column.storage.endsWith('[]');
  const parts = [
    `count(*) - count(${q}) as c${index}_missing`,
    exactDistinct
      ? `count(distinct ${q}) as c${index}_distinct`
      : `approx_count_distinct(${q}) as c${index}_distinct`,
    orderable ? `min(${q}) as c${index}_min` : `null as c${index}_min`,
    orderable ? `max(${q}) as c${index}_max` : `null as c${index}_max`,
  ];
  if (numeric) {
    // The scale is a power of two, so it is written exactly; it is ours, not user text.
    const value = scale === 1 ? `${q}::double` : `(${q}::double / ${scale})`;
    const finite = `filter (where isfinite(${q}::double))`;
    const back = scale === 1 ? '' : ` * ${scale}`;
    parts.push(
      `avg(${value}) ${finite}${back} as c${index}_mean`,
      `stddev_samp(${value}) ${finite}${back} as c${index}_std`,
    );
  }
  return parts.join(', ');
}

interface MeasuredColumn {
  name: string;
  index: number;
  type: LogicalType;
  distinct: number;
  get: (key: string) => Plain;
}

type TopValue = ColumnProfile['topValues'][number];
type Bin = ColumnProfile['histogram'][number];

/** Histograms of numeric columns and top values of the others, in as few scans as possible. */
async function distributions(
  duck: Duck,
  relation: string,
  params: DuckDBValue[],
  columns: MeasuredColumn[],
): Promise<{ histograms: Map<number, Bin[]>; topValues: Map<number, TopValue[]>; sampledRows: number }> {
  const bound = [...params];
  const bind = (value: number) => {
    bound.push(value);
    return `$${bound.length}`;
  };
  const histograms = new Map<number, Bin[]>();
  const topValues = new Map<number, TopValue[]>();
  const aggregates = ['count(*) as sampled_rows'];
  const readers: ((row: Record<string, unknown>) => void)[] = [];
  for (const column of columns) {
    const q = quoteIdent(column.name);
    const key = `d${column.index}`;
    if (column.type === 'numeric') {
      const min = numberOf(column.get('min'));
      const max = numberOf(column.get('max'));
      if (!Number.isFinite(min) || !Number.isFinite(max)) continue;
      // Divided before subtracting when max - min overflows (values spanning most of the double range).
      const spanFits = Number.isFinite(max - min);
      const width =
        (spanFits ? (max - min) / HISTOGRAM_BINS : max / HISTOGRAM_BINS - min / HISTOGRAM_BINS) || 1;
      const offset = spanFits
        ? `(${q}::double - ${bind(min)}) / ${bind(width)}`
        : `(${q}::double / ${bind(width)} - ${bind(min / width)})`;
      aggregates.push(
        `histogram(least(floor(${offset}), ${HISTOGRAM_BINS - 1})::integer) filter (where isfinite(${q}::double)) as ${key}`,
      );
      readers.push((row) => histograms.set(column.index, bins(countsOf(row[key]), min, max, width)));
    } else if (column.distinct <= MAPPED_TOP_VALUES_DISTINCT) {
      aggregates.push(`histogram(${q}::varchar) as ${key}`);
      readers.push((row) => topValues.set(column.index, topOf(countsOf(row[key]))));
    } else {
      topValues.set(column.index, await groupedTopValues(duck, relation, params, column.name));
    }
  }
  const [row] = await duck.raw(`select ${aggregates.join(', ')} from ${relation}`, bound);
  if (row) for (const read of readers) read(row);
  return { histograms, topValues, sampledRows: Number(row?.sampled_rows ?? 0) };
}

/**
 * Up to this many distinct values (by the estimate), top values come from a map built in the
 * shared scan; past it the map would hold most of the column, so a grouped query counts them.
 */
const MAPPED_TOP_VALUES_DISTINCT = 10_000;

async function groupedTopValues(
  duck: Duck,
  relation: string,
  params: DuckDBValue[],
  name: string,
): Promise<TopValue[]> {
  const q = quoteIdent(name);
  const rows = await duck.all(
    `select ${q}::varchar as value, count(*) as count from ${relation} where ${q} is not null group by 1 order by 2 desc, 1 limit ${TOP_VALUES}`,
    params,
  );
  return rows.map((row) => ({ value: row.value ?? null, count: numberOf(row.count) }));
}

const mapCountsSchema = z
  .array(z.object({ key: z.unknown(), value: z.union([z.bigint(), z.number()]) }))
  .nullable();

/** Counts from a DuckDB MAP result (null when the column had no values). */
function countsOf(value: unknown): [unknown, number][] {
  return (mapCountsSchema.parse(value) ?? []).map(({ key, value: count }) => [key, Number(count)]);
}

/** Most frequent first, ties by value, as the grouped query orders them. */
function topOf(counts: [unknown, number][]): TopValue[] {
  return counts
    .map(([value, count]) => ({ value: String(value), count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
    .slice(0, TOP_VALUES);
}

function bins(counts: [unknown, number][], min: number, max: number, width: number): Bin[] {
  const byBin = new Map(counts.map(([bin, count]) => [Number(bin), count]));
  return Array.from({ length: HISTOGRAM_BINS }, (_, bin) => ({
    from: min + bin * width,
    to: bin === HISTOGRAM_BINS - 1 ? max : min + (bin + 1) * width,
    count: byBin.get(bin) ?? 0,
  }));
}

/** A finite number, else null: a moment past the double range has no value to show. */
function nullableNumber(value: Plain): number | null {
  const number = value === null ? Number.NaN : numberOf(value);
  return Number.isFinite(number) ? number : null;
}
