import { NodeInputError } from '../_kit/errors';

/**
 * The added training rows must have exactly the logged dataset's columns (inputs and target), by
 * name and in any order: a missing one would leave holes, an extra one (a split marker, an id)
 * would be learned from. The message names the column.
 */
export function checkAppendColumns(logged: readonly string[], appended: readonly string[]): void {
  const have = new Set(appended);
  const want = new Set(logged);
  const missing = logged.find((name) => !have.has(name));
  if (missing !== undefined)
    throw new NodeInputError(
      `The added training rows have no column "${missing}": they need the model's input columns and the target (${logged.join(', ')})`,
      { field: 'append', column: missing },
    );
  const extra = appended.find((name) => !want.has(name));
  if (extra !== undefined)
    throw new NodeInputError(
      `The added training rows have a column "${extra}" the logged predictions do not: connect raw rows with only the model's input columns and the target (${logged.join(', ')})`,
      { field: 'append', column: extra },
    );
}

/** The DuckDB storage type of the target for these feedback labels. */
export function targetStorage(
  task: 'classification' | 'regression',
  labels: readonly (string | number | boolean | null)[],
): 'DOUBLE' | 'BIGINT' | 'BOOLEAN' | 'VARCHAR' {
  if (task === 'regression') return 'DOUBLE';
  const present = labels.filter((label) => label !== null);
  if (present.length > 0 && present.every((label) => typeof label === 'boolean')) return 'BOOLEAN';
  if (present.length > 0 && present.every((label) => typeof label === 'number'))
    return present.every((label) => Number.isInteger(label)) ? 'BIGINT' : 'DOUBLE';
  return 'VARCHAR';
}

/** The window to read: From/To when given (both, as ISO times), else the last N hours or days before `runStart`. */
export function windowOf(
  config: { from: string; to: string; windowLength: number; windowUnit: 'hours' | 'days' },
  runStart: Date,
): { from: Date; to: Date; explicit: boolean } {
  if (config.from === '' && config.to === '') {
    const hours = config.windowLength * (config.windowUnit === 'days' ? 24 : 1);
    return { from: new Date(runStart.getTime() - hours * 3_600_000), to: runStart, explicit: false };
  }
  const from = timeOf(config.from, 'from', 'From');
  const to = timeOf(config.to, 'to', 'To');
  if (!(from.getTime() < to.getTime()))
    throw new NodeInputError(`From (${config.from}) must be before To (${config.to})`, { field: 'from' });
  return { from, to, explicit: true };
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function timeOf(text: string, field: 'from' | 'to', label: string): Date {
  if (text === '')
    throw new NodeInputError(`${label} is empty: give both From and To, or neither (then Last is used)`, {
      field,
    });
  const time = ISO_TIME.test(text) ? new Date(text) : new Date(Number.NaN);
  if (Number.isNaN(time.getTime()))
    throw new NodeInputError(`${label} is not an ISO time such as 2026-12-07T10:00:00Z: "${text}"`, {
      field,
    });
  return time;
}
