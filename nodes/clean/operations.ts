import { resolveColumns } from '../_data/columns';
import { conditionSql } from '../_data/condition-sql';
import { firstUnconvertible, STORAGE_FOR } from '../_data/conversion';
import type { LogicalType } from '../_data/dataset-schema';
import { SPLIT_COLUMN } from '../_data/dataset-schema';
import { numberOf } from '../_data/duck';
import { quoteIdent, quoteIdents } from '../_data/sql';
import type { TableChain } from '../_data/table-chain';
import { NodeInputError, shownValue } from '../_kit/errors';
import type { CleanOperation } from './spec';

/** Applies one operation; `index` names it in error messages ("operation 3 (impute)"). */
export async function applyOperation(
  chain: TableChain,
  operation: CleanOperation,
  index: number,
): Promise<void> {
  const where = `operations.${index}`;
  const columnsOf = (selector: Parameters<typeof resolveColumns>[0]) =>
    resolveColumns(
      selector,
      chain.columns.filter((column) => column.name !== SPLIT_COLUMN),
      where,
    );
  switch (operation.op) {
    case 'drop': {
      const columns = columnsOf(operation.columns);
      if (columns.length)
        await chain.next((prev) => `select * exclude (${quoteIdents(columns)}) from ${prev}`);
      chain.learned.push({ op: 'drop', columns });
      return;
    }
    case 'keep': {
      const chosen = columnsOf(operation.columns);
      if (chosen.length === 0)
        throw new NodeInputError('No column matches the selection to keep: every column would be dropped', {
          field: where,
        });
      const keep = new Set([...chosen, ...(chain.hasSplit ? [SPLIT_COLUMN] : [])]);
      const dropped = chain.names.filter((name) => !keep.has(name));
      await chain.next(
        (prev) => `select ${quoteIdents(chain.names.filter((name) => keep.has(name)))} from ${prev}`,
      );
      chain.learned.push({ op: 'drop', columns: dropped });
      return;
    }
    case 'rename': {
      columnsOf([operation.from]);
      if (chain.names.includes(operation.to))
        throw new NodeInputError(
          `Cannot rename "${operation.from}" to "${operation.to}": that column exists`,
          { field: where, column: operation.to },
        );
      await chain.next(
        (prev) =>
          `select * rename (${quoteIdent(operation.from)} as ${quoteIdent(operation.to)}) from ${prev}`,
      );
      chain.learned.push(operation);
      return;
    }
    case 'cast':
      return cast(chain, operation.column, operation.to, where);
    case 'impute':
      return impute(chain, columnsOf(operation.columns), operation.strategy, operation.value, where);
    case 'drop_missing': {
      const columns = operation.columns
        ? columnsOf(operation.columns)
        : chain.names.filter((name) => name !== SPLIT_COLUMN);
      await chain.next(
        (prev) =>
          `select * from ${prev} where ${columns.map((name) => `${quoteIdent(name)} is not null`).join(' and ') || 'true'}`,
      );
      return;
    }
    case 'deduplicate': {
      const columns = operation.columns
        ? columnsOf(operation.columns)
        : chain.names.filter((name) => name !== SPLIT_COLUMN);
      // No column chosen (a by-type selection that matched none): nothing to compare, nothing dropped.
      if (columns.length === 0) return;
      // Keeps the first of each group of duplicates, in the original row order.
      await chain.next(
        (prev) =>
          `select * exclude (__pw_row) from (select *, row_number() over () as __pw_row from ${prev})
          qualify row_number() over (partition by ${quoteIdents(columns)} order by __pw_row) = 1 order by __pw_row`,
      );
      return;
    }
    case 'filter':
      await chain.next(
        (prev) =>
          `select * from ${prev} where ${conditionSql(operation.condition, chain.columns, (value) => chain.bind(value), `${where}.condition`)}`,
      );
      return;
    case 'clip':
      return clip(chain, columnsOf(operation.columns), operation, where);
    case 'text': {
      const columns = columnsOf(operation.columns);
      const changed = new Map(
        columns.map((name) => [name, textExpression(quoteIdent(name), operation.trim, operation.lower)]),
      );
      await chain.next(
        (prev) =>
          `select ${chain.names.map((name) => (changed.has(name) ? `${changed.get(name)} as ${quoteIdent(name)}` : quoteIdent(name))).join(', ')} from ${prev}`,
      );
      for (const column of columns)
        chain.learned.push({ op: 'text', column, trim: operation.trim, lower: operation.lower });
    }
  }
}

function textExpression(column: string, trim: boolean, lower: boolean): string {
  let expression = `${column}::varchar`;
  if (trim) expression = `trim(${expression})`;
  if (lower) expression = `lower(${expression})`;
  return expression;
}

async function cast(chain: TableChain, column: string, to: LogicalType, where: string): Promise<void> {
  resolveColumns([column], chain.columns, where);
  const bad = await firstUnconvertible(chain.duck, chain.current, [], column, to);
  if (bad) {
    throw new NodeInputError(
      `Column "${column}" cannot become ${to}: value ${shownValue(bad.value)} on row ${bad.row}`,
      {
        field: where,
        column,
        row: bad.row,
      },
    );
  }
  const q = quoteIdent(column);
  await chain.next((prev) => `select * replace (try_cast(${q} as ${STORAGE_FOR[to]}) as ${q}) from ${prev}`);
  chain.learned.push({ op: 'cast', column, to });
}

async function impute(
  chain: TableChain,
  columns: string[],
  strategy: 'mean' | 'median' | 'most_frequent' | 'constant',
  constant: unknown,
  where: string,
): Promise<void> {
  const fills: { column: string; value: number | string | boolean }[] = [];
  for (const column of columns) {
    const q = quoteIdent(column);
    const numeric = chain.columns.find((candidate) => candidate.name === column)?.type === 'numeric';
    if ((strategy === 'mean' || strategy === 'median') && !numeric) {
      throw new NodeInputError(
        `Cannot impute the ${strategy} of "${column}": it is not numeric (use most_frequent or constant)`,
        { field: where, column },
      );
    }
    if (strategy === 'constant') {
      if (typeof constant !== 'number' && typeof constant !== 'string' && typeof constant !== 'boolean') {
        throw new NodeInputError('Impute with a constant needs a value', { field: `${where}.value` });
      }
      fills.push({ column, value: constant });
      continue;
    }
    const aggregate =
      strategy === 'mean' ? `avg(${q})` : strategy === 'median' ? `median(${q})` : `mode(${q})`;
    const { value } = await chain.one(`select ${aggregate} as value from ${chain.trainingRows}`);
    if (value === null || value === undefined)
      throw new NodeInputError(`Cannot impute "${column}": it has no values in the training rows`, {
        field: where,
        column,
      });
    fills.push({ column, value });
  }
  const replaced = fills.map(
    (fill) => `coalesce(${quoteIdent(fill.column)}, ${chain.bind(fill.value)}) as ${quoteIdent(fill.column)}`,
  );
  if (replaced.length) await chain.next((prev) => `select * replace (${replaced.join(', ')}) from ${prev}`);
  for (const fill of fills)
    chain.learned.push({ op: 'impute', column: fill.column, strategy, value: fill.value });
}

async function clip(
  chain: TableChain,
  columns: string[],
  options: { method: 'quantile' | 'iqr'; lower: number; upper: number },
  where: string,
): Promise<void> {
  const bounds: { column: string; lower: number; upper: number }[] = [];
  for (const column of columns) {
    if (chain.columns.find((candidate) => candidate.name === column)?.type !== 'numeric') {
      throw new NodeInputError(`Cannot clip "${column}": it is not numeric`, { field: where, column });
    }
    const q = quoteIdent(column);
    const quantiles = options.method === 'iqr' ? [0.25, 0.75] : [options.lower, options.upper];
    const [lowQuantile = 0, highQuantile = 1] = quantiles;
    const row = await chain.one(
      `select quantile_cont(${q}, ${chain.bind(lowQuantile)}) as low, quantile_cont(${q}, ${chain.bind(highQuantile)}) as high from ${chain.trainingRows}`,
    );
    const low = numberOf(row.low);
    const high = numberOf(row.high);
    if (!Number.isFinite(low) || !Number.isFinite(high)) continue;
    const spread = high - low;
    bounds.push(
      options.method === 'iqr'
        ? { column, lower: low - 1.5 * spread, upper: high + 1.5 * spread }
        : { column, lower: low, upper: high },
    );
  }
  // least and greatest skip NULL: without the guard a missing value would become the upper bound.
  const replaced = bounds.map((bound) => {
    const q = quoteIdent(bound.column);
    return `case when ${q} is null then null else greatest(least(${q}, ${chain.bind(bound.upper)}), ${chain.bind(bound.lower)}) end as ${q}`;
  });
  if (replaced.length) await chain.next((prev) => `select * replace (${replaced.join(', ')}) from ${prev}`);
  for (const bound of bounds) chain.learned.push({ op: 'clip', ...bound });
}
