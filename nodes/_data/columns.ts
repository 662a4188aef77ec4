import { z } from 'zod';
import { NodeInputError } from '../_kit/errors';
import type { ColumnTracker } from '../_kit/known-columns';
import { type LogicalType, logicalTypeOf, logicalTypeSchema } from './dataset-schema';

/**
 * Which columns an operation applies to: named ones, or every column of a type (minus exceptions),
 * so a pipeline can work on any dataset without naming its columns.
 */
export const columnSelectorSchema = z
  .union([
    z.array(z.string()).min(1, 'Choose at least one column'),
    z.object({ byType: logicalTypeSchema, except: z.array(z.string()).default([]) }),
  ])
  .meta({ widget: 'columns' });

/** One column of the input, by name: the form offers the known columns. */
export const columnNameSchema = z.string().min(1).meta({ widget: 'column' });
export type ColumnSelector = z.infer<typeof columnSelectorSchema>;

export interface TypedColumn {
  name: string;
  storage: string;
  type: LogicalType;
}

/** Logical types from storage alone, for selection inside a step (text counts as categorical). */
export function typedColumns(columns: { name: string; storage: string }[]): TypedColumn[] {
  return columns.map((column) => ({ ...column, type: logicalTypeOf(column.storage, 0, 1) }));
}

export function resolveColumns(selector: ColumnSelector, columns: TypedColumn[], field: string): string[] {
  if (Array.isArray(selector)) {
    for (const name of selector) {
      if (!columns.some((column) => column.name === name)) {
        throw new NodeInputError(
          `Column "${name}" is not in the data (columns: ${columns.map((column) => column.name).join(', ')})`,
          {
            field,
            column: name,
          },
        );
      }
    }
    return selector;
  }
  return columns
    .filter((column) => column.type === selector.byType && !selector.except.includes(column.name))
    .map((column) => column.name);
}

/** The columns a selector names, checking each named one against the known columns. */
export function trackedSelection(selector: ColumnSelector, tracker: ColumnTracker, field: string): string[] {
  if (Array.isArray(selector)) {
    tracker.requireAll(selector, field);
    return selector;
  }
  return (tracker.columns ?? [])
    .filter((column) => column.type === selector.byType && !selector.except.includes(column.name))
    .map((column) => column.name);
}
