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
