import { listValue } from '@duckdb/node-api';
import { resolveColumns } from '../_data/columns';
import { SPLIT_COLUMN } from '../_data/dataset-schema';
import { numberOf } from '../_data/duck';
import { quoteIdent } from '../_data/sql';
import type { TableChain } from '../_data/table-chain';
import { columnDataError, NodeInputError } from '../_kit/errors';
import { deriveColumn } from './derive';
import type { FeatureOperation } from './spec';

/** Replaces some columns with new expressions, keeping the column order. */
async function replaceColumns(chain: TableChain, expressions: Map<string, string>): Promise<void> {
  if (expressions.size === 0) return;
  const list = chain.names.map((name) =>
    expressions.has(name) ? `${expressions.get(name)} as ${quoteIdent(name)}` : quoteIdent(name),
  );
  await chain.next((prev) => `select ${list.join(', ')} from ${prev}`);
}

export async function applyFeature(
  chain: TableChain,
  operation: FeatureOperation,
  index: number,
  target: string | undefined,
): Promise<void> {
  const where = `operations.${index}`;
  const usable = chain.columns.filter((column) => column.name !== SPLIT_COLUMN && column.name !== target);
  const columnsOf = (selector: Parameters<typeof resolveColumns>[0]) =>
    resolveColumns(selector, usable, where);
  const numeric = (names: string[]) => {
    for (const name of names) {
      if (chain.columns.find((column) => column.name === name)?.type !== 'numeric') {
        throw new NodeInputError(`${operation.op} needs numeric columns; "${name}" is not numeric`, {
          field: where,
          column: name,
        });
      }
    }
    return names;
  };
  switch (operation.op) {
    case 'standardize':
    case 'min_max': {
      const expressions = new Map<string, string>();
      for (const column of numeric(columnsOf(operation.columns))) {
        const q = quoteIdent(column);
        const stats = await chain
          .one(
            `select avg(${q}) as mean, stddev_pop(${q}) as std, min(${q}) as min, max(${q}) as max from ${chain.trainingRows}`,
          )
          .catch((error: unknown) => {
            throw (
              columnDataError(
                error,
                column,
                where,
                operation.op === 'standardize' ? 'standardize' : 'min-max scale',
              ) ?? error
            );
          });
        if (operation.op === 'standardize') {
          const mean = numberOf(stats.mean);
          // A constant column (std 0) is only centred, as scikit-learn's StandardScaler does.
          const std = numberOf(stats.std) || 1;
          expressions.set(column, `(${q} - ${chain.bind(mean)}) / ${chain.bind(std)}`);
          chain.learned.push({ op: 'standardize', column, mean, std });
        } else {
          const min = numberOf(stats.min);
          const max = numberOf(stats.max);
          expressions.set(column, `(${q} - ${chain.bind(min)}) / ${chain.bind(max - min || 1)}`);
          chain.learned.push({ op: 'min_max', column, min, max });
        }
      }
      return replaceColumns(chain, expressions);
    }
    case 'log':
    case 'sqrt': {
      const expressions = new Map<string, string>();
      for (const column of numeric(columnsOf(operation.columns))) {
        const q = quoteIdent(column);
        const outOfDomain = operation.op === 'log' ? 'value <= -1' : 'value < 0';
        const bad = await chain.all(
          `select row_number, value from (select row_number() over () as row_number, ${q} as value from ${chain.current}) where ${outOfDomain} limit 1`,
        );
        if (bad[0]) {
          const rule = operation.op === 'log' ? 'above −1 (log takes log(1 + x))' : 'zero or more';
          throw new NodeInputError(
            `${operation.op} of "${column}" needs values ${rule}: value ${bad[0].value} on row ${bad[0].row_number}`,
            { field: where, column, row: numberOf(bad[0].row_number) },
          );
        }
        expressions.set(column, operation.op === 'log' ? `ln(1 + ${q})` : `sqrt(${q})`);
        chain.learned.push({ op: operation.op, column });
      }
      return replaceColumns(chain, expressions);
    }
    case 'one_hot':
      return oneHot(chain, columnsOf(operation.columns), operation.topK);
    case 'ordinal': {
      const expressions = new Map<string, string>();
      for (const column of columnsOf(operation.columns)) {
        const q = quoteIdent(column);
        const rows = await chain.all(
          `select distinct ${q}::varchar as value from ${chain.trainingRows} where ${q} is not null order by 1`,
        );
        const categories = rows.map((row) => String(row.value));
        expressions.set(
          column,
          `coalesce(list_position(${chain.bind(listValue(categories))}::varchar[], ${q}::varchar) - 1, -1)`,
        );
        chain.learned.push({ op: 'ordinal', column, categories });
      }
      return replaceColumns(chain, expressions);
    }
    case 'bin': {
      const [column = ''] = numeric(columnsOf([operation.column]));
      const q = quoteIdent(column);
      const edges = await binEdges(chain, q, operation.bins, operation.method);
      await replaceColumns(
        chain,
        new Map([
          [
            column,
            `case when ${q} is null then null else (${edges.map((edge) => `(${q} >= ${chain.bind(edge)})::integer`).join(' + ') || '0'}) end`,
          ],
        ]),
      );
      chain.learned.push({ op: 'bin', column, edges });
      return;
    }
    case 'date_parts': {
      const [column = ''] = columnsOf([operation.column]);
      if (chain.columns.find((candidate) => candidate.name === column)?.type !== 'datetime') {
        throw new NodeInputError(`date_parts needs a date or time column; "${column}" is not one`, {
          field: where,
          column,
        });
      }
      const added = operation.parts.map((part) => ({ part, as: `${column}_${part}` }));
      const list = added.map(
        ({ part, as }) =>
          `${part === 'weekday' ? 'isodow' : part}(${quoteIdent(column)}) as ${quoteIdent(as)}`,
      );
      await chain.next((prev) => `select *, ${list.join(', ')} from ${prev}`);
      for (const { part, as } of added) chain.learned.push({ op: 'date_part', column, part, as });
      return;
    }
    case 'derive':
      await deriveColumn(chain, operation, where);
      chain.learned.push({ op: 'derive', name: operation.name, expression: operation.expression });
  }
}

/** Top-k categories by frequency in the training rows (ties by value), each a 0/1 column, plus "other". */
async function oneHot(chain: TableChain, columns: string[], topK: number): Promise<void> {
  for (const column of columns) {
    const q = quoteIdent(column);
    const rows = await chain.all(
      `select ${q}::varchar as value, count(*) as n from ${chain.trainingRows} where ${q} is not null group by 1 order by 2 desc, 1 limit ${chain.bind(topK + 1)}`,
    );
    const categories = rows.slice(0, topK).map((row) => String(row.value));
    const other = rows.length > topK;
    const indicators = categories.map(
      (category) =>
        `coalesce((${q}::varchar = ${chain.bind(category)})::integer, 0) as ${quoteIdent(`${column}=${category}`)}`,
    );
    if (other)
      indicators.push(
        `coalesce((${q}::varchar not in (${categories.map((category) => chain.bind(category)).join(', ')}))::integer, 0) as ${quoteIdent(`${column}=other`)}`,
      );
    await chain.next((prev) => `select * exclude (${q}), ${indicators.join(', ')} from ${prev}`);
    chain.learned.push({ op: 'one_hot', column, categories, other });
  }
}

async function binEdges(
  chain: TableChain,
  column: string,
  bins: number,
  method: 'width' | 'quantile',
): Promise<number[]> {
  const inner = Array.from({ length: bins - 1 }, (_, index) => (index + 1) / bins);
  if (method === 'quantile') {
    const row = await chain.one(
      `select quantile_cont(${column}, ${chain.bind(listValue(inner))}::double[]) as edges from ${chain.trainingRows}`,
    );
    const edges = String(row.edges).replace(/[[\]]/g, '').split(',').map(Number);
    return [...new Set(edges.filter(Number.isFinite))];
  }
  const { min, max } = await chain.one(
    `select min(${column}) as min, max(${column}) as max from ${chain.trainingRows}`,
  );
  const low = numberOf(min);
  const high = numberOf(max);
  return inner.map((fraction) => low + fraction * (high - low));
}
