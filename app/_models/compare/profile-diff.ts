import type { ColumnProfile, DatasetProfile } from '../../../nodes/_data/profile-schema';
import type { ColumnDiff, ColumnFacts, DatasetFacts, ProfileComparison } from './comparison-schema';

/**
 * The data two versions were trained on, column by column: each column's type, missing share,
 * mean and spread or top categories in both, the columns one has and the other lacks, and the large
 * shifts between them, named in words. Pure.
 */

/** What counts as a large shift from A to B. */
export const SHIFT_LIMITS = {
  /** The mean moved by this many of A's standard deviations (a standardised mean difference). */
  meanInStd: 0.25,
  /** The spread grew or shrank by this factor. */
  stdRatio: 1.5,
  /** The missing share moved by this much (5 percentage points). */
  missing: 0.05,
  /** The top categories' shares moved this much in all (total variation distance, 10 points). */
  categories: 0.1,
} as const;

/** Top values kept per column. */
const TOP_SHOWN = 3;

export interface ProfiledDataset {
  sha256: string | null;
  profile: DatasetProfile | undefined;
}

export function compareProfiles(a: ProfiledDataset, b: ProfiledDataset): ProfileComparison {
  const columns = a.profile && b.profile ? compareColumns(a.profile, b.profile) : [];
  return {
    a: datasetFacts(a),
    b: datasetFacts(b),
    sameData: a.sha256 !== null && a.sha256 === b.sha256,
    columns,
  };
}

function datasetFacts({ sha256, profile }: ProfiledDataset): DatasetFacts {
  return {
    profiled: profile !== undefined,
    sha256,
    rows: profile?.rows ?? null,
    sampledRows: profile?.sampledRows ?? null,
  };
}

/** A's columns in A's order (kept or removed), then the columns only B has, in B's order. */
function compareColumns(a: DatasetProfile, b: DatasetProfile): ColumnDiff[] {
  const inB = new Map(b.columns.map((column) => [column.name, column]));
  const inA = new Set(a.columns.map((column) => column.name));
  const diffs: ColumnDiff[] = a.columns.map((column) => {
    const other = inB.get(column.name);
    const before = columnFacts(column, a.rows);
    if (!other) return { name: column.name, status: 'removed', a: before, b: null, shifts: [] };
    const after = columnFacts(other, b.rows);
    return { name: column.name, status: 'kept', a: before, b: after, shifts: shiftsOf(before, after) };
  });
  for (const column of b.columns)
    if (!inA.has(column.name))
      diffs.push({ name: column.name, status: 'added', a: null, b: columnFacts(column, b.rows), shifts: [] });
  return diffs;
}

export function columnFacts(column: ColumnProfile, rows: number): ColumnFacts {
  // Top values are counts (of a sample scaled to the whole when the profile was sampled): as shares
  // of the rows they compare across datasets of different sizes.
  const numeric = column.mean !== null;
  return {
    type: column.type,
    missingFraction: column.missingFraction,
    distinct: column.distinct,
    mean: column.mean,
    std: column.std,
    top: numeric
      ? []
      : column.topValues
          .slice(0, TOP_SHOWN)
          .map((item) => ({ value: item.value, share: rows > 0 ? item.count / rows : 0 })),
  };
}

/** The large shifts of one column from A to B, in words. */
export function shiftsOf(a: ColumnFacts, b: ColumnFacts): string[] {
  const shifts: string[] = [];
  if (a.type !== b.type) shifts.push(`type changed from ${a.type} to ${b.type}`);
  const missing = b.missingFraction - a.missingFraction;
  if (Math.abs(missing) >= SHIFT_LIMITS.missing)
    shifts.push(`missing ${percent(a.missingFraction)} → ${percent(b.missingFraction)}`);
  if (a.mean !== null && b.mean !== null) {
    const scale = a.std || b.std || Math.abs(a.mean) || 1;
    const moved = (b.mean - a.mean) / scale;
    if (Math.abs(moved) >= SHIFT_LIMITS.meanInStd)
      shifts.push(`mean ${moved > 0 ? 'rose' : 'fell'} ${Math.abs(moved).toFixed(2)} SD`);
  }
  if (a.std !== null && b.std !== null && a.std > 0 && b.std > 0) {
    const ratio = b.std / a.std;
    if (ratio >= SHIFT_LIMITS.stdRatio || ratio <= 1 / SHIFT_LIMITS.stdRatio)
      shifts.push(`spread ${ratio > 1 ? 'grew' : 'shrank'} ${(ratio > 1 ? ratio : 1 / ratio).toFixed(1)}×`);
  }
  if (a.top.length > 0 || b.top.length > 0) {
    const moved = categoryShift(a.top, b.top);
    if (moved >= SHIFT_LIMITS.categories)
      shifts.push(`top categories' shares moved ${Math.round(moved * 100)} points`);
  }
  return shifts;
}

/**
 * Total variation distance over the values either side lists: half the summed share differences.
 * Values past the top ones count as zero on the side that does not list them.
 */
export function categoryShift(a: ColumnFacts['top'], b: ColumnFacts['top']): number {
  const key = (value: ColumnFacts['top'][number]['value']) => JSON.stringify(value);
  const shares = new Map<string, [number, number]>();
  for (const item of a) shares.set(key(item.value), [item.share, 0]);
  for (const item of b) {
    const found = shares.get(key(item.value));
    shares.set(key(item.value), [found?.[0] ?? 0, item.share]);
  }
  let total = 0;
  for (const [first, second] of shares.values()) total += Math.abs(second - first);
  return total / 2;
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}
