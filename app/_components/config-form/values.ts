import { z } from 'zod';
import { parameterReference } from '../../../pipeline/parameters';
import { toGroup } from './condition-model';
import type { FormField, ItemShape, OptionValue } from './fields';

/** Pure helpers for the values the config form reads and writes. */

export interface ParameterOption {
  name: string;
  type: string;
}

/**
 * The config with one field set; a value that is undefined or equal to the field's default leaves the
 * field out, so the default applies (and follows the node type if its default ever changes).
 */
export function withField(
  config: Record<string, unknown>,
  field: Pick<FormField, 'name' | 'hasDefault' | 'default'>,
  value: unknown,
): Record<string, unknown> {
  const { [field.name]: _previous, ...rest } = config;
  if (value === undefined || (field.hasDefault && sameValue(value, field.default))) return rest;
  // A field already there keeps its place, so a saved pipeline diffs as one changed line.
  return Object.hasOwn(config, field.name)
    ? { ...config, [field.name]: value }
    : { ...rest, [field.name]: value };
}

/** Structural equality of JSON values. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => sameValue(item, b[index]));
  }
  const left = Object.entries(a);
  const right = new Map(Object.entries(b));
  return (
    left.length === right.size &&
    left.every(([key, value]) => right.has(key) && sameValue(value, right.get(key)))
  );
}

/** The pipeline parameters whose type fits the field, in their declared order. */
export function compatibleParameters(
  field: Pick<FormField, 'parameterTypes'>,
  parameters: readonly ParameterOption[],
): ParameterOption[] {
  return parameters.filter((parameter) => field.parameterTypes.some((type) => type === parameter.type));
}

export type JsonParse = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * Parses what the user typed into a JSON field; an error names the line and column where the engine
 * says it went wrong (V8 gives a position or a line and column; Firefox a line and column).
 */
export function parseJsonText(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const raw = error instanceof Error ? error.message : String(error);
    return { ok: false, message: describeJsonError(raw, text) };
  }
}

/** The engine's JSON.parse message as "Line 2, column 5: …" where it says where. */
export function describeJsonError(raw: string, text: string): string {
  let line: number | undefined;
  let column: number | undefined;
  const lineColumn = /line (\d+) column (\d+)/i.exec(raw);
  const position = /at position (\d+)/i.exec(raw);
  if (lineColumn) {
    line = Number(lineColumn[1]);
    column = Number(lineColumn[2]);
  } else if (position) {
    const before = text.slice(0, Number(position[1]));
    const lines = before.split('\n');
    line = lines.length;
    column = (lines.at(-1)?.length ?? 0) + 1;
  } else if (/unexpected end/i.test(raw)) {
    const lines = text.split('\n');
    line = lines.length;
    column = (lines.at(-1)?.length ?? 0) + 1;
  }
  const reason = raw
    .replace(/^JSON\.parse:\s*/i, '')
    .replace(/\s*\(line \d+ column \d+\)/i, '')
    .replace(/\s+at line \d+ column \d+ of the JSON data/i, '')
    .replace(/\s+in JSON at position \d+/i, '')
    .replace(/,?\s*"[^"]*"\s+is not valid JSON$/i, '')
    .trim();
  const sentence = reason ? reason.charAt(0).toUpperCase() + reason.slice(1) : 'Not valid JSON';
  return line === undefined ? `Not valid JSON: ${sentence}` : `Line ${line}, column ${column}: ${sentence}`;
}

/**
 * JSON as the form shows it: one entry of a top-level array or object per line, each written
 * compactly, so a list of operations reads as a list.
 */
export function formatJson(value: unknown): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => `  ${compact(item)}`).join(',\n')}\n]`;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([key, item]) => `  ${JSON.stringify(key)}: ${compact(item)}`).join(',\n')}\n}`;
  }
  return JSON.stringify(value) ?? '';
}

/** One-line JSON with a space after each comma and colon: `{ "op": "drop", "columns": ["a", "b"] }`. */
function compact(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(compact).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    if (entries.length === 0) return '{}';
    return `{ ${entries.map(([key, item]) => `${JSON.stringify(key)}: ${compact(item)}`).join(', ')} }`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Comma- or newline-separated names, trimmed, without empties or repeats. */
export function splitNames(text: string): string[] {
  const names = text
    .split(/[,\n]/)
    .map((name) => name.trim())
    .filter(Boolean);
  return [...new Set(names)];
}

/** How a column selector value reads: left out, a list of names, every column of a type, or neither. */
export type SelectorMode = 'default' | 'names' | 'byType' | 'other';

export interface ByTypeSelector {
  byType: string;
  except?: unknown[];
}

export function selectorMode(value: unknown): SelectorMode {
  if (value === undefined) return 'default';
  if (Array.isArray(value)) return value.every(isNameOrParameter) ? 'names' : 'other';
  if (isByType(value)) return 'byType';
  return 'other';
}

const byTypeSchema = z.object({
  byType: z.string(),
  except: z
    .array(z.unknown())
    .refine((names) => names.every(isNameOrParameter))
    .optional(),
});

export function isByType(value: unknown): value is ByTypeSelector {
  return byTypeSchema.safeParse(value).success;
}

/** A column's name, or a pipeline parameter standing for one (the target, in the templates). */
export function isNameOrParameter(value: unknown): boolean {
  return typeof value === 'string' || parameterReference(value) !== undefined;
}

/** A list of names split into the names and the parameters among them. */
export function splitParameters(list: readonly unknown[]): { names: string[]; parameters: unknown[] } {
  return {
    names: list.filter((item) => typeof item === 'string'),
    parameters: list.filter((item) => parameterReference(item) !== undefined),
  };
}

/** Adds or removes a name, keeping the order the names were chosen in. */
export function toggleName(names: readonly string[], name: string, on: boolean): string[] {
  if (on) return names.includes(name) ? [...names] : [...names, name];
  return names.filter((other) => other !== name);
}

/** Does a stored list fit the list editor: every entry an object, of a known kind when kinds exist? */
export function listFits(item: ItemShape, value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  return value.every(
    (entry) =>
      typeof entry === 'object' &&
      entry !== null &&
      !Array.isArray(entry) &&
      (item.kind === 'object' || item.variants.some((variant) => variant.tag === entry[item.key])),
  );
}

/** Does the stored value fit the field's widget? When not, the form falls back to raw JSON. */
export function fitsWidget(field: FormField, value: unknown): boolean {
  if (value === undefined) return true;
  switch (field.widget) {
    case 'text':
      return field.valueType === 'unknown' ? isOptionValue(value) : typeof value === 'string';
    case 'column':
    case 'connection':
    case 'model':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'checkbox':
      return typeof value === 'boolean';
    case 'select':
      return isOptionValue(value);
    case 'columns': {
      const mode = selectorMode(value);
      return mode === 'names' || mode === 'byType';
    }
    case 'condition':
      return toGroup(value) !== undefined;
    case 'list':
      return field.item !== undefined && listFits(field.item, value);
    case 'choices':
      return Array.isArray(value) && value.every((item) => field.options?.includes(item));
    case 'values':
      return Array.isArray(value) && value.every(isOptionValue);
    default:
      return true;
  }
}

function isOptionValue(value: unknown): value is OptionValue {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** The text of a value in a single-line input: numbers and strings as written. */
export function inputText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : String(value);
}

/** A number input's text as a value: undefined when empty, NaN when not (yet) a number. */
export function parseNumberText(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  return Number(text);
}
