import type { DuckDBValue } from '@duckdb/node-api';
import { NodeInputError, shownValue } from '../_kit/errors';
import type { Condition } from './condition';
import { logicalTypeOf } from './dataset-schema';
import { quoteIdent } from './sql';

/** A column a condition may compare: its name and DuckDB storage type. */
export interface ConditionColumn {
  name: string;
  storage: string;
}

type Scalar = string | number | boolean;

/**
 * SQL for a condition: columns quoted, values bound through `bind` (never spliced in). Comparing with
 * a missing value is false, as an analyst expects, not unknown. Each value is checked against its
 * column's type first, so text that is not a number fails here, naming the column and the value,
 * instead of as a DuckDB conversion error once the data is read.
 */
export function conditionSql(
  condition: Condition,
  columns: readonly ConditionColumn[],
  bind: (value: DuckDBValue) => string,
  field = 'condition',
): string {
  if ('all' in condition)
    return `(${condition.all.map((part) => conditionSql(part, columns, bind, field)).join(' and ')})`;
  if ('any' in condition)
    return `(${condition.any.map((part) => conditionSql(part, columns, bind, field)).join(' or ')})`;
  const target = columns.find((column) => column.name === condition.column);
  if (!target) {
    throw new NodeInputError(`The condition uses column "${condition.column}", which is not in the data`, {
      field,
      column: condition.column,
    });
  }
  const column = quoteIdent(condition.column);
  const { operator, value } = condition;
  if (operator === 'is_missing') return `(${column} is null)`;
  if (operator === 'is_not_missing') return `(${column} is not null)`;
  if (value === undefined)
    throw new NodeInputError(`The condition on "${condition.column}" needs a value`, {
      field,
      column: condition.column,
    });
  if (operator === 'in' || operator === 'not_in') {
    const values = Array.isArray(value) ? value : [value];
    const list = values.map((item) => bind(comparable(item, target, field))).join(', ');
    return operator === 'in'
      ? `coalesce(${column} in (${list}), false)`
      : `coalesce(${column} not in (${list}), false)`;
  }
  if (Array.isArray(value))
    throw new NodeInputError(`The condition on "${condition.column}" takes one value`, {
      field,
      column: condition.column,
    });
  if (operator === 'contains') return `coalesce(contains(${column}::varchar, ${bind(String(value))}), false)`;
  if (operator === 'starts_with')
    return `coalesce(starts_with(${column}::varchar, ${bind(String(value))}), false)`;
  return `coalesce(${column} ${operator} ${bind(comparable(value, target, field))}, false)`;
}

/** ISO dates and times, the forms DuckDB reads: 2026-01-31, 2026-01-31 12:00, 2026-01-31T12:00:00.5, 12:00. */
const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?|\d{2}:\d{2}(:\d{2}(\.\d+)?)?)$/;

/** The value as the column's type compares it, or an error naming the column and the value. */
function comparable(value: Scalar, column: ConditionColumn, field: string): DuckDBValue {
  // Text is compared as text: a number bound against it would make DuckDB cast the column instead.
  if (/^VARCHAR$/i.test(column.storage)) return String(value);
  const type = logicalTypeOf(column.storage, 0, 1);
  const refuse = (expected: string): never => {
    throw new NodeInputError(
      `The condition on "${column.name}" compares it with ${typeof value === 'string' ? shownValue(value) : String(value)}, which is not ${expected} ("${column.name}" is ${type})`,
      { field, column: column.name },
    );
  };
  if (type === 'numeric') {
    if (typeof value === 'number') return value;
    const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
    return Number.isFinite(number) ? number : refuse('a number');
  }
  if (type === 'boolean') {
    if (typeof value === 'boolean') return value;
    const word = String(value).trim().toLowerCase();
    return word === 'true' ? true : word === 'false' ? false : refuse('true or false');
  }
  if (type === 'datetime')
    return typeof value === 'string' && ISO_DATE_TIME.test(value.trim())
      ? value.trim()
      : refuse('a date or time such as 2026-01-31 or 2026-01-31 12:00');
  // Other storage (lists, structs) is left to DuckDB.
  return value;
}
