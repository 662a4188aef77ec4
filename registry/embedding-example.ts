import type { ReferenceSample, SignatureColumn, VersionReference } from './version-schema';

/**
 * The one example row the embedding README's snippets feed to the graph: the reference sample's first
 * row when the version has one (real training values), else a typical value per column. Pure.
 */

/** A column's example value as a request would send it; null is a missing value. */
export type ExampleValue = number | boolean | string | null;

export interface ExampleCell {
  column: SignatureColumn;
  value: ExampleValue;
}

export interface ExampleRow {
  /** One cell per signature input, in the graph's input order. */
  cells: ExampleCell[];
  /** Where the values come from, for the README's sentence about them. */
  source: 'reference-sample' | 'typical-values';
}

/** What the graph is fed for a value: a double (booleans 1/0, missing NaN) or a string (missing ""). */
export function graphValue(column: SignatureColumn, value: ExampleValue): number | string {
  if (column.type === 'string') return value === null ? '' : String(value);
  if (value === null) return Number.NaN;
  if (column.type === 'boolean') return value === true || value === 1 ? 1 : 0;
  return typeof value === 'number' ? value : Number(value);
}

export function exampleRow(
  inputs: readonly SignatureColumn[],
  sample: ReferenceSample | undefined,
  reference: VersionReference | undefined,
): ExampleRow {
  const first = sample?.rows[0];
  const fromSample = (column: SignatureColumn): ExampleValue | undefined => {
    if (!sample || !first) return undefined;
    const index = sample.columns.indexOf(column.name);
    return index < 0 ? undefined : sampleValue(column, first[index] ?? null);
  };
  const cells = inputs.map((column) => ({ column, sampled: fromSample(column) }));
  const sampled = cells.some((cell) => cell.sampled !== undefined);
  return {
    cells: cells.map(({ column, sampled }) => ({
      column,
      value: sampled === undefined ? typicalValue(column, reference) : sampled,
    })),
    source: sampled ? 'reference-sample' : 'typical-values',
  };
}

/**
 * A sample cell as the column's type, or undefined when it cannot stand for one (a missing value in
 * a column that may not miss, a word in a number column): the typical value takes its place.
 */
function sampleValue(
  column: SignatureColumn,
  cell: number | string | boolean | null,
): ExampleValue | undefined {
  if (cell === null || cell === '') return column.nullable ? null : undefined;
  switch (column.type) {
    case 'number':
      return typeof cell === 'number' && Number.isFinite(cell) ? cell : undefined;
    case 'boolean':
      if (typeof cell === 'boolean') return cell;
      return cell === 1 ? true : cell === 0 ? false : undefined;
    case 'string':
      return String(cell);
  }
}

/** The median for a number, the most frequent (else first known) category, false, or "text". */
function typicalValue(column: SignatureColumn, reference: VersionReference | undefined): ExampleValue {
  const seen = reference?.[column.name];
  switch (column.type) {
    case 'number':
      return seen?.kind === 'number' ? (seen.deciles[4] ?? seen.deciles[0] ?? 0) : 0;
    case 'boolean':
      return false;
    case 'string': {
      if (seen?.kind === 'category') {
        const [commonest] = Object.entries(seen.frequencies).sort((a, b) => b[1] - a[1]);
        if (commonest) return commonest[0];
      }
      return column.categories?.[0] ?? 'text';
    }
  }
}
