import { type DatasetInput, openDataset, requireColumn } from '../_data/dataset-input';
import { writeDatasetWithTransforms } from '../_data/dataset-output';
import { SPLIT_COLUMN } from '../_data/dataset-schema';
import { Duck, numberOf } from '../_data/duck';
import { quoteIdent } from '../_data/sql';
import type { NodeRun } from '../_kit/define-node';
import { NodeInputError } from '../_kit/errors';
import type { splitSpec } from './spec';

/**
 * Ranks rows inside each group (one group, or one per stratum) by a seeded hash of their position,
 * or by time for a time split; the first ranks become test rows, the next validation, the rest train.
 * The same seed and data give the same split on any machine.
 *
 * Sorting whole rows cost seconds at a million rows, so the ranking runs on a narrow key per row
 * and keeps only each group's cut-off keys; the rows then stream through once, compared with them.
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
    const rows = numberedRows(dataset);
    const group =
      config.method === 'stratified'
        ? `{'g': ${quoteIdent(requireColumn(dataset, config.stratifyBy, 'stratifyBy'))}}`
        : `{'g': 0}`;
    const latestFirst = config.method === 'time';
    const key = latestFirst
      ? rankKeyByTime(quoteIdent(requireColumn(dataset, config.timeColumn, 'timeColumn')), rows.number)
      : `{'h': hash(${rows.number}, getvariable('pw_seed')), 'r': ${rows.number}}`;
    await duck.exec('set variable pw_seed = $1::bigint', [config.seed]);
    await duck.exec('set variable pw_test = $1::double', [config.testFraction]);
    await duck.exec('set variable pw_validation = $1::double', [config.validationFraction]);
    await duck.exec(cutsSql({ rows: rows.relation, group, key, latestFirst }), [dataset.file]);
    const beyond = latestFirst ? '>=' : '<=';
    const sql = `
      select * exclude (${rows.extra}),
        case
          when ${key} ${beyond} getvariable('pw_cuts')[${group}].test then 'test'
          when ${key} ${beyond} getvariable('pw_cuts')[${group}].holdout then 'validation'
          else 'train'
        end as ${quoteIdent(SPLIT_COLUMN)}
      from ${rows.relation}`;
    // The spec passes through unchanged: a split learns nothing, but later steps extend the spec.
    const { stored, profile } = await writeDatasetWithTransforms(
      duck,
      context,
      'data',
      { sql, params: [dataset.file] },
      { file: dataset.file, learned: [] },
    );
    // Exact counts: past a hundred thousand rows the profile's top values are estimates.
    const counts = await duck.all(
      `select ${quoteIdent(SPLIT_COLUMN)} as part, count(*) as count from read_parquet($1) group by 1`,
      [context.artifacts.localPath(stored.ref)],
    );
    const parts = Object.fromEntries(counts.map((entry) => [String(entry.part), numberOf(entry.count)]));
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

/**
 * The rows with their 1-based position: DuckDB's free file row number, unless the data has a
 * column of that very name, when a window function numbers them (slower, same numbers).
 */
function numberedRows(dataset: DatasetInput): { relation: string; number: string; extra: string } {
  if (dataset.columns.some((column) => column.name === 'file_row_number'))
    return {
      relation: '(select *, row_number() over () as __pw_row from read_parquet($1))',
      number: '__pw_row',
      extra: '__pw_row',
    };
  return {
    relation: 'read_parquet($1, file_row_number = true)',
    number: '(file_row_number + 1)',
    extra: 'file_row_number',
  };
}

/** Latest first, rows without a time last, ties by position: compared as a struct, field by field. */
function rankKeyByTime(column: string, rowNumber: string): string {
  return `{'present': ${column} is not null, 't': ${column}, 'r': ${rowNumber}}`;
}

/**
 * Sets the session variable pw_cuts: per group, the key of the last row that goes to test, and of
 * the last that goes to test or validation (the holdout).
 */
function cutsSql(options: { rows: string; group: string; key: string; latestFirst: boolean }): string {
  const direction = options.latestFirst ? 'desc' : 'asc';
  const last = options.latestFirst ? 'min' : 'max';
  const testRows = "round(size * getvariable('pw_test'))";
  const holdoutRows = `${testRows} + round(size * getvariable('pw_validation'))`;
  return `set variable pw_cuts = (
    with keys as (select ${options.group} as g, ${options.key} as k from ${options.rows}),
    ranked as (
      select g, k, row_number() over (partition by g order by k ${direction}) as rank, count(*) over (partition by g) as size
      from keys
    ),
    cuts as (
      select g, {'test': ${last}(k) filter (where rank <= ${testRows}), 'holdout': ${last}(k) filter (where rank <= ${holdoutRows})} as cut
      from ranked group by g
    )
    select map(list(g), list(cut)) from cuts)`;
}
