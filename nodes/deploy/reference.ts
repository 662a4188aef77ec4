import type { ReferenceSample, VersionReference } from '../../registry/version-schema';
import type { DatasetInput } from '../_data/dataset-input';
import { SPLIT_COLUMN } from '../_data/dataset-schema';
import type { Duck } from '../_data/duck';
import { quoteIdent } from '../_data/sql';
import { columnSql, hasSplit, type InputColumn } from './raw-rows';

/** The reference sample holds at most this many training rows. */
export const REFERENCE_ROWS = 10_000;
/** A text column's frequencies list at most this many values (the most frequent). */
const REFERENCE_CATEGORIES = 100;
const DECILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/**
 * For monitoring: the training rows' distribution of each graph input (numbers' deciles, text and
 * yes/no frequencies, missing rates) over ALL training rows, and a sample of up to 10,000 raw
 * training rows. The sample is deterministic: rows ordered by a hash of their position in the file.
 */
export async function referenceOf(
  duck: Duck,
  dataset: DatasetInput,
  inputs: readonly InputColumn[],
): Promise<{ reference: VersionReference; sample: ReferenceSample; missingRates: Map<string, number> }> {
  const ownRowNumber = dataset.columns.some((column) => column.name === 'file_row_number');
  const source = ownRowNumber ? 'read_parquet($1)' : 'read_parquet($1, file_row_number = true)';
  const position = ownRowNumber ? 'row_number() over ()' : 'file_row_number';
  const training = `(select * from ${source}${hasSplit(dataset) ? ` where ${quoteIdent(SPLIT_COLUMN)} = 'train'` : ''})`;
  const reference: VersionReference = {};
  const missingRates = new Map<string, number>();
  // One scan for every column's missing count and every number's deciles; one more per text column.
  const [summary] = await duck.raw(
    `select count(*) as total, ${inputs
      .map((input, index) => {
        const missing = `count(*) filter (where ${columnSql(input)} is null) as m${index}`;
        return input.type === 'number'
          ? `${missing}, quantile_cont(${columnSql(input)}, [${DECILES.join(', ')}]) as d${index}`
          : missing;
      })
      .join(', ')} from ${training}`,
    [dataset.file],
  );
  const total = Number(summary?.total ?? 0);
  for (const [index, input] of inputs.entries()) {
    const missingRate = total === 0 ? 0 : Number(summary?.[`m${index}`] ?? 0) / total;
    missingRates.set(input.name, missingRate);
    if (input.type === 'number') {
      const deciles = summary?.[`d${index}`];
      reference[input.name] = {
        kind: 'number',
        deciles: Array.isArray(deciles) ? deciles.map(Number) : [],
        missingRate,
      };
      continue;
    }
    const value = columnSql(input);
    const rows = await duck.all(
      `select cast(${value} as varchar) as v, count(*) as n from ${training} where ${value} is not null
       group by 1 order by n desc, v limit ${REFERENCE_CATEGORIES}`,
      [dataset.file],
    );
    const frequencies = Object.fromEntries(
      rows.map((row) => [String(row.v), total === 0 ? 0 : Number(row.n) / total]),
    );
    reference[input.name] = { kind: 'category', frequencies, missingRate };
  }
  const selected = inputs.map((input, index) => `${columnSql(input)} as c${index}`).join(', ');
  const sampled = await duck.all(
    `select ${selected} from (select *, ${position} as pw_position from ${training})
     order by hash(pw_position), pw_position limit ${REFERENCE_ROWS}`,
    [dataset.file],
  );
  const sample: ReferenceSample = {
    columns: inputs.map((input) => input.name),
    rows: sampled.map((row) => inputs.map((_, index) => row[`c${index}`] ?? null)),
  };
  return { reference, sample, missingRates };
}
