import type { Column } from './columns';
import { attr, type GraphBuilder, ML_DOMAIN } from './graph';

/**
 * Category lookups for one_hot and ordinal. The data nodes compare `column::varchar` with the
 * category strings; text compares as text, and a number (or a number cast to text) compares as the
 * number each category string reads back to, which is exact because DuckDB writes each double in a
 * form that reads back to it. A missing value (NaN, or "") matches no category.
 */

/** The number a category string was written from, or undefined when it is not one (or is NaN). */
export function categoryNumber(text: string): number | undefined {
  if (text === 'true') return 1;
  if (text === 'false') return 0;
  if (text === 'inf') return Number.POSITIVE_INFINITY;
  if (text === '-inf') return Number.NEGATIVE_INFINITY;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) return undefined;
  return Number(text);
}

/**
 * Numeric keys for a category list, or the reason they cannot be exact: a category that is not a
 * number, NaN, or two categories that are the same number (0.0 and -0.0).
 */
export function numericKeys(categories: readonly string[], float32: boolean): number[] | string {
  const keys: number[] = [];
  for (const category of categories) {
    const value = categoryNumber(category);
    if (value === undefined) return `category ${JSON.stringify(category)} is not a number`;
    keys.push(float32 ? Math.fround(value) : value);
  }
  if (new Set(keys).size !== keys.length) return 'two categories are the same number (0.0 and -0.0)';
  return keys;
}

/**
 * A LabelEncoder from the column's values: category k → values[k], a missing value → `missing`,
 * anything else → `unseen`. `keys` are the category strings (text columns) or numbers.
 */
export function lookup(
  graph: GraphBuilder,
  column: Column,
  keys: readonly string[] | readonly number[],
  values: { categories: readonly number[]; missing: number; unseen: number; type: 'int64' | 'double' },
): string {
  const text = column.kind === 'string';
  const keyTensor = text
    ? attr.tensor('string', [...(keys as readonly string[]), ''])
    : attr.tensor('double', [...(keys as readonly number[]), Number.NaN]);
  return graph.one(
    'LabelEncoder',
    [column.tensor()],
    {
      keys_tensor: keyTensor,
      values_tensor: attr.tensor(values.type, [...values.categories, values.missing]),
      default_tensor: attr.tensor(values.type, [values.unseen], [1]),
    },
    { domain: ML_DOMAIN, hint: 'category' },
  );
}
