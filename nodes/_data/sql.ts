import { NodeInputError } from '../_kit/errors';

/**
 * The one way a name chosen by a user (a column, a table) enters SQL: double-quoted, with inner
 * quotes doubled. Values never enter SQL as text: they are bound parameters.
 */
export function quoteIdent(name: string): string {
  if (name.length === 0) throw new NodeInputError('A column name cannot be empty');
  if (name.includes('\u0000'))
    throw new NodeInputError(`Column name ${JSON.stringify(name)} contains a NUL character`);
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteIdents(names: readonly string[]): string {
  return names.map(quoteIdent).join(', ');
}
