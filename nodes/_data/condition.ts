import type { DuckDBValue } from '@duckdb/node-api';
import { z } from 'zod';
import { NodeInputError } from '../_kit/errors';
import { quoteIdent } from './sql';

export const comparisonOperators = [
  '=',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'in',
  'not_in',
  'is_missing',
  'is_not_missing',
  'contains',
  'starts_with',
] as const;

const scalar = z.union([z.string(), z.number(), z.boolean()]);

export const comparisonSchema = z.object({
  column: z.string().min(1, 'Choose a column'),
  operator: z.enum(comparisonOperators),
  value: z.union([scalar, z.array(scalar)]).optional(),
});

/** A filter or slice condition: comparisons combined with AND (`all`) and OR (`any`), nested freely. */
export type Condition = z.infer<typeof comparisonSchema> | { all: Condition[] } | { any: Condition[] };

export const conditionSchema: z.ZodType<Condition> = z
  .lazy(() =>
    z.union([
      comparisonSchema,
      z.object({ all: z.array(conditionSchema).min(1) }),
      z.object({ any: z.array(conditionSchema).min(1) }),
    ]),
  )
  .meta({ widget: 'condition' });

/**
 * SQL for a condition: columns quoted, values bound through `bind` (never spliced in). Comparing with
 * a missing value is false, as an analyst expects, not unknown.
 */
export function conditionSql(
  condition: Condition,
  columns: readonly string[],
  bind: (value: DuckDBValue) => string,
): string {
  if ('all' in condition)
    return `(${condition.all.map((part) => conditionSql(part, columns, bind)).join(' and ')})`;
  if ('any' in condition)
    return `(${condition.any.map((part) => conditionSql(part, columns, bind)).join(' or ')})`;
  if (!columns.includes(condition.column)) {
    throw new NodeInputError(`The condition uses column "${condition.column}", which is not in the data`, {
      field: 'condition',
      column: condition.column,
    });
  }
  const column = quoteIdent(condition.column);
  const { operator, value } = condition;
  if (operator === 'is_missing') return `(${column} is null)`;
  if (operator === 'is_not_missing') return `(${column} is not null)`;
  if (value === undefined)
    throw new NodeInputError(`The condition on "${condition.column}" needs a value`, {
      field: 'condition',
      column: condition.column,
    });
  if (operator === 'in' || operator === 'not_in') {
    const values = Array.isArray(value) ? value : [value];
    const list = values.map((item) => bind(item)).join(', ');
    return operator === 'in'
      ? `coalesce(${column} in (${list}), false)`
      : `coalesce(${column} not in (${list}), false)`;
  }
  if (Array.isArray(value))
    throw new NodeInputError(`The condition on "${condition.column}" takes one value`, {
      field: 'condition',
      column: condition.column,
    });
  if (operator === 'contains') return `coalesce(contains(${column}::varchar, ${bind(String(value))}), false)`;
  if (operator === 'starts_with')
    return `coalesce(starts_with(${column}::varchar, ${bind(String(value))}), false)`;
  return `coalesce(${column} ${operator} ${bind(value)}, false)`;
}

/** Every column a condition compares. */
export function conditionColumns(condition: Condition): string[] {
  if ('all' in condition) return condition.all.flatMap(conditionColumns);
  if ('any' in condition) return condition.any.flatMap(conditionColumns);
  return [condition.column];
}
