import type { DuckDBValue } from '@duckdb/node-api';
import { openDataset, requireColumn } from '../_data/dataset-input';
import { writeDataset } from '../_data/dataset-output';
import { SPLIT_COLUMN } from '../_data/dataset-schema';
import { Duck } from '../_data/duck';
import { quoteIdent } from '../_data/sql';
import type { NodeRun } from '../_kit/define-node';
import { NodeInputError } from '../_kit/errors';
import type { splitSpec } from './spec';

/**
 * Ranks rows inside each group (one group, or one per stratum) by a seeded hash of their position,
 * or by time for a time split; the first ranks become test rows, the next validation, the rest train.
 * The same seed and data give the same split on any machine.
 */
export const runSplit: NodeRun<typeof splitSpec> = async ({ config, inputs }, context) => {
  const duck = await Duck.open();
  try {
    const dataset = await openDataset(duck, inputs.data);
    if (dataset.columns.some((column) => column.name === SPLIT_COLUMN)) {
      throw new NodeInputError(`The data already has a "${SPLIT_COLUMN}" column: it was split before`, {
        column: SPLIT_COLUMN,
      });
    }
    const params: DuckDBValue[] = [dataset.file];
    const bind = (value: DuckDBValue) => {
      params.push(value);
      return `$${params.length}`;
    };
    const partition =
      config.method === 'stratified'
        ? `partition by ${quoteIdent(requireColumn(dataset, config.stratifyBy, 'stratifyBy'))}`
        : '';
    const order =
      config.method === 'time'
        ? `order by ${quoteIdent(requireColumn(dataset, config.timeColumn, 'timeColumn'))} desc nulls last, __pw_row desc`
        : `order by hash(__pw_row, ${bind(config.seed)}::bigint), __pw_row`;
    const test = bind(config.testFraction);
    const validation = bind(config.validationFraction);
    const sql = `
      with numbered as (select *, row_number() over () as __pw_row from read_parquet($1)),
      ranked as (
        select *, row_number() over (${partition} ${order}) as __pw_rank, count(*) over (${partition}) as __pw_size
        from numbered
      )
      select * exclude (__pw_row, __pw_rank, __pw_size),
        case
          when __pw_rank <= round(__pw_size * ${test}::double) then 'test'
          when __pw_rank <= round(__pw_size * ${test}::double) + round(__pw_size * ${validation}::double) then 'validation'
          else 'train'
        end as ${quoteIdent(SPLIT_COLUMN)}
      from ranked order by __pw_row`;
    const { stored, profile } = await writeDataset(duck, context, 'data', { sql, params });
    const counts = profile.columns.find((column) => column.name === SPLIT_COLUMN)?.topValues ?? [];
    const parts = Object.fromEntries(counts.map((entry) => [String(entry.value), entry.count]));
    if (!parts.train)
      throw new NodeInputError('No rows are left for training: lower the test and validation fractions', {
        field: 'testFraction',
      });
    if (!parts.test)
      throw new NodeInputError(
        'No rows fall in the test part: the data is too small for this test fraction',
        { field: 'testFraction' },
      );
    return {
      outputs: { data: stored.ref },
      summary: {
        rows: profile.rows,
        train: parts.train,
        validation: parts.validation ?? 0,
        test: parts.test,
      },
    };
  } finally {
    duck.close();
  }
};
