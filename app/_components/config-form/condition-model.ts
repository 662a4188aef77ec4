import { z } from 'zod';
import { type Condition, comparisonOperators } from '../../../nodes/_data/condition';
import type { LogicalType } from '../../../nodes/_data/dataset-schema';

/**
 * The condition editor's model: a condition is a group of comparisons and groups, matched all (AND)
 * or any (OR). A single comparison is stored as itself, not as a group of one, so configs stay
 * as short as a person would write them. Pure.
 */

export type Operator = (typeof comparisonOperators)[number];
export type Scalar = string | number | boolean;

export interface Comparison {
  column: string;
  operator: Operator;
  value?: Scalar | Scalar[];
}

export interface Group {
  mode: 'all' | 'any';
  parts: Part[];
}

export type Part = { comparison: Comparison } | { group: Group };

export const operatorLabels: Record<Operator, string> = {
  '=': 'equals',
  '!=': 'is not',
  '<': 'is less than',
  '<=': 'is at most',
  '>': 'is more than',
  '>=': 'is at least',
  in: 'is one of',
  not_in: 'is none of',
  is_missing: 'is missing',
  is_not_missing: 'is not missing',
  contains: 'contains',
  starts_with: 'starts with',
};

export const operators = comparisonOperators;

/** Operators that take no value. */
export function takesValue(operator: Operator): boolean {
  return operator !== 'is_missing' && operator !== 'is_not_missing';
}

export function takesList(operator: Operator): boolean {
  return operator === 'in' || operator === 'not_in';
}

const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** A condition being written: the node's schema without its rules (a column not chosen yet is fine). */
const draftSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({
      column: z.string(),
      operator: z.enum(comparisonOperators),
      value: z.union([scalar, z.array(scalar)]).optional(),
    }),
    z.object({ all: z.array(draftSchema) }),
    z.object({ any: z.array(draftSchema) }),
  ]),
);

/** The stored value as a group; undefined when it is not a condition (the form falls back to JSON). */
export function toGroup(value: unknown): Group | undefined {
  if (value === undefined) return { mode: 'all', parts: [] };
  const parsed = draftSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const part = toPart(parsed.data);
  return 'group' in part ? part.group : { mode: 'all', parts: [part] };
}

function toPart(condition: Condition): Part {
  if ('all' in condition) return { group: { mode: 'all', parts: condition.all.map(toPart) } };
  if ('any' in condition) return { group: { mode: 'any', parts: condition.any.map(toPart) } };
  return { comparison: condition };
}

/** The group as stored: undefined when empty, a lone comparison as itself, empty inner groups dropped. */
export function fromGroup(group: Group): Condition | undefined {
  const parts = group.parts.map(fromPart).filter((part) => part !== undefined);
  if (parts.length === 0) return undefined;
  if (parts.length === 1 && parts[0]) return parts[0];
  return group.mode === 'all' ? { all: parts } : { any: parts };
}

function fromPart(part: Part): Condition | undefined {
  if ('group' in part) return fromGroup(part.group);
  const { column, operator, value } = part.comparison;
  return takesValue(operator) && value !== undefined ? { column, operator, value } : { column, operator };
}

/** A comparison's value as typed: a list with commas for in / not in. */
export function valueText(value: Comparison['value']): string {
  if (value === undefined) return '';
  return Array.isArray(value) ? value.map(String).join(', ') : String(value);
}

/**
 * What the user typed as a value, typed by the column: numbers for a numeric column, true/false for
 * a boolean one, text otherwise. A column of unknown type takes a number only when the text is
 * exactly one, so "007" stays text.
 */
export function parseValue(
  text: string,
  operator: Operator,
  type: LogicalType | undefined,
): Comparison['value'] {
  if (!takesValue(operator)) return undefined;
  if (takesList(operator)) {
    const items = parseList(text, type);
    return items.length ? items : undefined;
  }
  return text.trim() === '' ? undefined : scalarOf(text.trim(), type);
}

/** Values separated by commas, each typed as `parseValue` types one. */
export function parseList(text: string, type: LogicalType | undefined): Scalar[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => scalarOf(item, type));
}

function scalarOf(text: string, type: LogicalType | undefined): Scalar {
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  const number = Number(text);
  if (type === 'numeric' && text !== '' && Number.isFinite(number)) return number;
  if (type === undefined && Number.isFinite(number) && String(number) === text) return number;
  return text;
}
