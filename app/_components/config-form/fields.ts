import { z } from 'zod';
import { type FieldHint, type NodeSpec, type Widget, widgetSchema } from '../../../nodes/_kit/define-node';
import type { ParameterType } from '../../../pipeline/document';
import { findParameterUses, touchesUnknown } from '../../../pipeline/parameters';
import { formatExactNumber } from '../format';
import {
  exampleOf,
  type JsonSchema,
  jsonSchemaSchema,
  meaningful,
  type OptionValue,
  optionsOf,
  resolve,
  unwrapNullable,
  type ValueType,
  valueTypeOf,
  variants,
} from './json-schema';

export type { OptionValue, ValueType };

/**
 * The form of a node type, derived from its spec: the zod config (through its JSON schema) gives each
 * field's type, bounds, options and default; the spec's `ui` hints, or a schema's own `.meta()`
 * (title, description, widget), give the label, widget, help and whether it is advanced. Pure: no
 * React here.
 */

export interface FormField {
  name: string;
  label: string;
  widget: Widget;
  /** The JSON type of the value, as far as one type describes it. */
  valueType: ValueType;
  /** The choices of a select (or of a 'choices' list), in the schema's order. */
  options?: OptionValue[];
  /** True when the schema gives a default (which then applies when the field is left out). */
  hasDefault: boolean;
  default?: unknown;
  /** Must be set: no default and not optional. */
  required: boolean;
  min?: number;
  max?: number;
  /** The bound itself is not allowed (zod's gt/lt). */
  exclusiveMin?: boolean;
  exclusiveMax?: boolean;
  /** Step of a number input: 1 for integers, a small one for fractions, otherwise any. */
  step?: number | 'any';
  minLength?: number;
  maxLength?: number;
  help?: string;
  advanced: boolean;
  /** Pipeline parameter types that may stand for this field as {"$param": name}. */
  parameterTypes: ParameterType[];
  /** A value shaped like the schema, for json fields' placeholders. */
  example?: unknown;
  /** Values a text field suggests (the schema's examples), e.g. metric names. */
  suggestions?: string[];
  /** What one entry of a 'list' field is. */
  item?: ItemShape;
}

/**
 * One entry of a list: an object with fixed fields, or one of several kinds told apart by a key
 * (an operation's `op`), each with its own fields.
 */
export type ItemShape =
  | { kind: 'object'; fields: FormField[] }
  | { kind: 'variants'; key: string; variants: ItemVariant[] };

export interface ItemVariant {
  tag: string;
  label: string;
  help?: string;
  fields: FormField[];
}

export interface FieldProblem {
  field: string;
  message: string;
}

const cache = new WeakMap<NodeSpec, FormField[]>();

/** The input-side JSON schema of a spec's config (what a user writes, defaults still optional). */
export function configJsonSchema(spec: NodeSpec): JsonSchema {
  return jsonSchemaSchema.parse(z.toJSONSchema(spec.config, { io: 'input', unrepresentable: 'any' }));
}

/** The form fields of a node type, in the order its config schema declares them. */
export function formFields(spec: NodeSpec): FormField[] {
  const cached = cache.get(spec);
  if (cached) return cached;
  const root = configJsonSchema(spec);
  const required = new Set(root.required ?? []);
  const hints = new Map<string, FieldHint | undefined>(Object.entries(spec.ui));
  const fields = Object.entries(root.properties ?? {}).map(([name, property]) => {
    const schema = resolve(property, root);
    return deriveField(
      name,
      schema,
      { ...metaHint(schema), ...hints.get(name) },
      required.has(name),
      root,
      0,
    );
  });
  cache.set(spec, fields);
  return fields;
}

/** A field's hint from its schema's own metadata, for fields no `ui` entry describes. */
function metaHint(schema: JsonSchema): Partial<FieldHint> {
  const widget = widgetSchema.safeParse(schema.widget);
  const hint: Partial<FieldHint> = {};
  if (schema.title) hint.label = schema.title;
  if (schema.description) hint.help = schema.description;
  if (widget.success) hint.widget = widget.data;
  return hint;
}

/** Lists inside lists stop here and are edited as JSON. */
const MAX_DEPTH = 3;

function deriveField(
  name: string,
  schema: JsonSchema,
  hint: Partial<FieldHint>,
  listedAsRequired: boolean,
  root: JsonSchema,
  depth: number,
): FormField {
  const core = unwrapNullable(schema, root);
  const valueType = valueTypeOf(core, root);
  const options = optionsOf(core, root);
  const hasDefault = schema.default !== undefined || core.default !== undefined;
  const field: FormField = {
    name,
    label: hint.label ?? humanize(name),
    widget: hint.widget ?? inferWidget(valueType, options, core, root),
    valueType,
    hasDefault,
    required: listedAsRequired && !hasDefault,
    advanced: hint.advanced ?? false,
    parameterTypes: [],
  };
  if (hasDefault) field.default = schema.default ?? core.default;
  if (hint.help) field.help = hint.help;
  if (options) field.options = options;
  if (field.widget === 'select' && !options) field.widget = 'text';
  if (field.widget === 'choices') {
    const choices = core.items ? optionsOf(resolve(core.items, root), root) : undefined;
    if (choices) field.options = choices;
    else field.widget = 'json';
  }
  if (field.widget === 'list') {
    const item =
      core.items && depth < MAX_DEPTH ? itemShapeOf(resolve(core.items, root), root, depth + 1) : undefined;
    if (item) field.item = item;
    else field.widget = 'json';
  }
  if (valueType === 'number' || valueType === 'integer') Object.assign(field, numberBounds(core, valueType));
  if (core.minLength !== undefined) field.minLength = core.minLength;
  if (core.maxLength !== undefined) field.maxLength = core.maxLength;
  const suggestions = core.examples?.filter((example) => typeof example === 'string');
  if (suggestions?.length) field.suggestions = suggestions;
  field.parameterTypes = parameterTypesFor(field);
  if (field.widget === 'json') {
    const example = exampleOf(core, root, 0);
    if (example !== undefined) field.example = example;
  }
  return field;
}

function inferWidget(
  valueType: ValueType,
  options: OptionValue[] | undefined,
  schema: JsonSchema,
  root: JsonSchema,
): Widget {
  if (options) return 'select';
  switch (valueType) {
    case 'boolean':
      return 'checkbox';
    case 'number':
    case 'integer':
      return 'number';
    case 'string':
      return 'text';
    case 'array': {
      const item = schema.items ? resolve(schema.items, root) : undefined;
      if (item && optionsOf(item, root)) return 'choices';
      return item && valueTypeOf(item, root) === 'object' ? 'list' : 'json';
    }
    default:
      return isScalarUnion(schema, root) ? 'text' : 'json';
  }
}

/** A value that may be a string, a number or a boolean (a constant to fill in): typed as text. */
function isScalarUnion(schema: JsonSchema, root: JsonSchema): boolean {
  const types = Array.isArray(schema.type)
    ? schema.type
    : variants(schema)?.map((option) => resolve(option, root).type);
  return (
    !!types?.length && types.every((type) => type === 'string' || type === 'number' || type === 'boolean')
  );
}

/** An entry of a list: one object, or a union of objects told apart by a constant key. */
function itemShapeOf(schema: JsonSchema, root: JsonSchema, depth: number): ItemShape | undefined {
  const options = variants(schema)?.map((option) => resolve(option, root));
  if (!options) {
    return schema.properties ? { kind: 'object', fields: objectFields(schema, root, depth) } : undefined;
  }
  const first = options[0]?.properties ?? {};
  const key = Object.keys(first).find((candidate) =>
    options.every((option) => {
      const property = option.properties?.[candidate];
      return property !== undefined && resolve(property, root).const !== undefined;
    }),
  );
  if (!key) return undefined;
  const variantsOfItem: ItemVariant[] = [];
  for (const option of options) {
    const tag = resolve(option.properties?.[key] ?? {}, root).const;
    if (typeof tag !== 'string') return undefined;
    const variant: ItemVariant = {
      tag,
      label: option.title ?? humanize(tag),
      fields: objectFields(option, root, depth, key),
    };
    if (option.description) variant.help = option.description;
    variantsOfItem.push(variant);
  }
  return { kind: 'variants', key, variants: variantsOfItem };
}

function objectFields(schema: JsonSchema, root: JsonSchema, depth: number, skip?: string): FormField[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {})
    .filter(([name]) => name !== skip)
    .map(([name, property]) => {
      const resolved = resolve(property, root);
      return deriveField(name, resolved, metaHint(resolved), required.has(name), root, depth);
    });
}

function numberBounds(schema: JsonSchema, valueType: 'number' | 'integer'): Partial<FormField> {
  const bounds: Partial<FormField> = {};
  const exclusiveMin = meaningful(schema.exclusiveMinimum);
  const exclusiveMax = meaningful(schema.exclusiveMaximum);
  const min = meaningful(schema.minimum);
  const max = meaningful(schema.maximum);
  if (exclusiveMin !== undefined && (min === undefined || exclusiveMin >= min)) {
    bounds.min = exclusiveMin;
    bounds.exclusiveMin = true;
  } else if (min !== undefined) bounds.min = min;
  if (exclusiveMax !== undefined && (max === undefined || exclusiveMax <= max)) {
    bounds.max = exclusiveMax;
    bounds.exclusiveMax = true;
  } else if (max !== undefined) bounds.max = max;
  if (valueType === 'integer') bounds.step = 1;
  else if (bounds.min !== undefined && bounds.max !== undefined && bounds.max - bounds.min <= 1)
    bounds.step = 0.01;
  else bounds.step = 'any';
  return bounds;
}

function parameterTypesFor(field: FormField): ParameterType[] {
  if (['json', 'condition', 'columns', 'list', 'choices'].includes(field.widget)) return [];
  switch (field.valueType) {
    case 'string':
      return field.widget === 'text' ? ['string', 'file'] : ['string'];
    case 'number':
    case 'integer':
      return ['number'];
    case 'boolean':
      return ['boolean'];
    default:
      return [];
  }
}

/** "testFraction" → "Test fraction", "max_depth" → "Max depth". */
export function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The label of a select option: identifiers read as words, anything else as written. */
export function optionLabel(value: OptionValue): string {
  return typeof value === 'string' && /^[a-z][a-z0-9_]*$/.test(value) ? humanize(value) : String(value);
}

const REQUIRED = 'Required';

/**
 * Field-level messages for a config as the user wrote it: paths joined with '.', e.g.
 * "operations.2.columns". Fields fed by a pipeline parameter are not judged here (their value is
 * only known when the pipeline compiles).
 */
export function validateConfig(spec: NodeSpec, config: Record<string, unknown>): FieldProblem[] {
  const parsed = spec.config.safeParse(config);
  if (parsed.success) return [];
  const fedByParameter = findParameterUses(config).map((use) => use.path);
  return parsed.error.issues
    .filter((issue) => !touchesUnknown(issue.path, fedByParameter))
    .map((issue) => ({
      field: issue.path.map(String).join('.'),
      message:
        issue.code === 'invalid_type' && valueAt(config, issue.path) === undefined ? REQUIRED : issue.message,
    }));
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = Reflect.get(current, key);
  }
  return current;
}

/** The allowed range of a number field in a few characters: "1 – 64", "> 0 and < 1", "≥ 0". */
export function rangeText(
  field: Pick<FormField, 'min' | 'max' | 'exclusiveMin' | 'exclusiveMax' | 'valueType'>,
): string {
  const { min, max } = field;
  const whole = field.valueType === 'integer' ? 'Whole number' : '';
  let range = '';
  if (min !== undefined && max !== undefined && !field.exclusiveMin && !field.exclusiveMax) {
    range = `${formatExactNumber(min)} – ${formatExactNumber(max)}`;
  } else {
    const parts: string[] = [];
    if (min !== undefined) parts.push(`${field.exclusiveMin ? '>' : '≥'} ${formatExactNumber(min)}`);
    if (max !== undefined) parts.push(`${field.exclusiveMax ? '<' : '≤'} ${formatExactNumber(max)}`);
    range = parts.join(' and ');
  }
  if (whole && range) return `${whole}, ${range}`;
  return whole || range;
}

/** Where inside a field a nested problem sits: ['2', 'columns'] → "Entry 3 › columns". */
export function describeSubPath(parts: readonly string[]): string {
  return parts.map((part) => (/^\d+$/.test(part) ? `Entry ${Number(part) + 1}` : part)).join(' › ');
}

/** A problem's message as shown under its top-level field, saying where inside the field it sits. */
export function messageUnder(field: string, problem: FieldProblem): string {
  if (problem.field === field) return problem.message;
  const inner = problem.field.slice(field.length + 1).split('.');
  return `${describeSubPath(inner)}: ${problem.message}`;
}

/** The problems that belong under a field: its own and those of anything inside it. */
export function problemsFor(field: string, problems: readonly FieldProblem[]): FieldProblem[] {
  return problems.filter((problem) => problem.field === field || problem.field.startsWith(`${field}.`));
}

/**
 * Compiler problems and the form's own ones, without repeats. Where the compiler's message only
 * wraps the form's ("Split "split_1": "Test fraction" Too small…"), the form's shorter one is kept:
 * it sits under its field already.
 */
export function mergeProblems(
  compiler: readonly FieldProblem[],
  local: readonly FieldProblem[],
): FieldProblem[] {
  const wraps = (other: FieldProblem, problem: FieldProblem) =>
    other.field === problem.field &&
    (other.message.endsWith(problem.message) ||
      (problem.message === REQUIRED && /received undefined$/.test(other.message)));
  const merged = [...compiler.filter((other) => !local.some((problem) => wraps(other, problem))), ...local];
  return merged.filter(
    (problem, index) =>
      merged.findIndex((other) => other.field === problem.field && other.message === problem.message) ===
      index,
  );
}
