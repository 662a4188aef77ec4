import { z } from 'zod';
import type { FieldHint, NodeSpec, Widget } from '../../../nodes/_kit/define-node';
import type { ParameterType } from '../../../pipeline/document';
import { findParameterUses } from '../../../pipeline/parameters';

/**
 * The form of a node type, derived from its spec: the zod config (through its JSON schema) gives each
 * field's type, bounds, options and default; the spec's `ui` hints give the label, widget, help and
 * whether it is advanced. Pure: no React here.
 */

export type OptionValue = string | number | boolean;

export type ValueType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object' | 'unknown';

export interface FormField {
  name: string;
  label: string;
  widget: Widget;
  /** The JSON type of the value, as far as one type describes it. */
  valueType: ValueType;
  /** The choices of a select, in the schema's order. */
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
  /** A value shaped like the schema, for json and condition fields' placeholders. */
  example?: unknown;
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** The part of a JSON schema this module reads. */
interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
}

const cache = new WeakMap<NodeSpec, FormField[]>();

/** The input-side JSON schema of a spec's config (what a user writes, defaults still optional). */
export function configJsonSchema(spec: NodeSpec): JsonSchema {
  return z.toJSONSchema(spec.config, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

/** The form fields of a node type, in the order its config schema declares them. */
export function formFields(spec: NodeSpec): FormField[] {
  const cached = cache.get(spec);
  if (cached) return cached;
  const root = configJsonSchema(spec);
  const required = new Set(root.required ?? []);
  const hints = spec.ui as Record<string, FieldHint | undefined>;
  const fields = Object.entries(root.properties ?? {}).map(([name, property]) =>
    deriveField(name, resolve(property, root), hints[name], required.has(name), root),
  );
  cache.set(spec, fields);
  return fields;
}

function deriveField(
  name: string,
  schema: JsonSchema,
  hint: FieldHint | undefined,
  listedAsRequired: boolean,
  root: JsonSchema,
): FormField {
  const core = unwrapNullable(schema, root);
  const valueType = valueTypeOf(core, root);
  const options = optionsOf(core, root);
  const hasDefault = schema.default !== undefined || core.default !== undefined;
  const field: FormField = {
    name,
    label: hint?.label ?? humanize(name),
    widget: hint?.widget ?? inferWidget(valueType, options),
    valueType,
    hasDefault,
    required: listedAsRequired && !hasDefault,
    advanced: hint?.advanced ?? false,
    parameterTypes: [],
  };
  if (hasDefault) field.default = schema.default ?? core.default;
  if (hint?.help) field.help = hint.help;
  if (options) field.options = options;
  if (field.widget === 'select' && !options) field.widget = 'text';
  if (valueType === 'number' || valueType === 'integer') Object.assign(field, numberBounds(core, valueType));
  if (core.minLength !== undefined) field.minLength = core.minLength;
  if (core.maxLength !== undefined) field.maxLength = core.maxLength;
  field.parameterTypes = parameterTypesFor(field);
  if (field.widget === 'json' || field.widget === 'condition') {
    const example = exampleOf(core, root, 0);
    if (example !== undefined) field.example = example;
  }
  return field;
}

function inferWidget(valueType: ValueType, options: OptionValue[] | undefined): Widget {
  if (options) return 'select';
  switch (valueType) {
    case 'boolean':
      return 'checkbox';
    case 'number':
    case 'integer':
      return 'number';
    case 'string':
      return 'text';
    default:
      return 'json';
  }
}

/** Follows a local `$ref` (zod puts recursive schemas in `$defs`). */
function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let current = schema;
  for (let depth = 0; current.$ref && depth < 10; depth++) {
    const match = /^#\/\$defs\/(.+)$/.exec(current.$ref);
    const target = match?.[1] ? root.$defs?.[match[1]] : undefined;
    if (!target) break;
    const { $ref: _ref, ...rest } = current;
    current = { ...target, ...rest };
  }
  return current;
}

function variants(schema: JsonSchema): JsonSchema[] | undefined {
  return schema.anyOf ?? schema.oneOf;
}

function isNullSchema(schema: JsonSchema): boolean {
  return schema.type === 'null' || (schema.const === null && schema.type === undefined);
}

/** `X | null` (nullable, optional) unions read as X. */
function unwrapNullable(schema: JsonSchema, root: JsonSchema): JsonSchema {
  const options = variants(schema);
  if (!options) return schema;
  const rest = options.filter((option) => !isNullSchema(option));
  if (rest.length === 1 && rest[0]) return { ...resolve(rest[0], root), default: schema.default };
  return schema;
}

function valueTypeOf(schema: JsonSchema, root: JsonSchema): ValueType {
  const options = variants(schema);
  if (options) {
    const types = new Set(options.map((option) => valueTypeOf(resolve(option, root), root)));
    if (types.size === 1) return [...types][0] ?? 'unknown';
    if (types.size === 2 && types.has('number') && types.has('integer')) return 'number';
    return 'unknown';
  }
  if (schema.allOf?.length === 1 && schema.allOf[0]) return valueTypeOf(resolve(schema.allOf[0], root), root);
  const type = Array.isArray(schema.type)
    ? schema.type.length === 1
      ? schema.type[0]
      : undefined
    : schema.type;
  switch (type) {
    case 'string':
    case 'number':
    case 'integer':
    case 'boolean':
    case 'array':
    case 'object':
      return type;
  }
  if (schema.enum?.length) return commonType(schema.enum);
  if (schema.const !== undefined) return commonType([schema.const]);
  return 'unknown';
}

function commonType(values: unknown[]): ValueType {
  const types = new Set(values.map((value) => typeof value));
  if (types.size !== 1) return 'unknown';
  const type = [...types][0];
  return type === 'string' || type === 'number' || type === 'boolean' ? type : 'unknown';
}

function isOption(value: unknown): value is OptionValue {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** The fixed choices of an enum, a literal, or a union of them; undefined when the value is open. */
function optionsOf(schema: JsonSchema, root: JsonSchema): OptionValue[] | undefined {
  if (schema.enum) return schema.enum.every(isOption) ? [...schema.enum] : undefined;
  if (schema.const !== undefined) return isOption(schema.const) ? [schema.const] : undefined;
  const options = variants(schema);
  if (!options) return undefined;
  const collected: OptionValue[] = [];
  for (const option of options) {
    const values = optionsOf(resolve(option, root), root);
    if (!values) return undefined;
    for (const value of values) if (!collected.includes(value)) collected.push(value);
  }
  return collected.length ? collected : undefined;
}

/** zod writes ±MAX_SAFE_INTEGER as the bounds of every int(): not a bound anyone chose. */
function meaningful(bound: number | undefined): number | undefined {
  return bound !== undefined && Math.abs(bound) < Number.MAX_SAFE_INTEGER ? bound : undefined;
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
  if (field.widget === 'json' || field.widget === 'condition' || field.widget === 'columns') return [];
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

/** A small value of the schema's shape (first variant of a union, required properties only). */
function exampleOf(schema: JsonSchema, root: JsonSchema, depth: number): unknown {
  if (depth > 6) return undefined;
  const options = variants(schema);
  if (options?.[0]) return exampleOf(resolve(options[0], root), root, depth + 1);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  switch (valueTypeOf(schema, root)) {
    case 'string':
      return '…';
    case 'number':
    case 'integer':
      return meaningful(schema.minimum) ?? 0;
    case 'boolean':
      return false;
    case 'array': {
      const item = schema.items ? exampleOf(resolve(schema.items, root), root, depth + 1) : undefined;
      return item === undefined ? [] : [item];
    }
    case 'object': {
      const required = new Set(schema.required ?? []);
      const entries = Object.entries(schema.properties ?? {})
        .filter(([key]) => required.has(key))
        .map(([key, value]) => [key, exampleOf(resolve(value, root), root, depth + 1)] as const);
      if (!entries.length && typeof schema.additionalProperties === 'object') {
        return { column: exampleOf(resolve(schema.additionalProperties, root), root, depth + 1) };
      }
      return Object.fromEntries(entries);
    }
    default:
      return undefined;
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
  const fedByParameter = findParameterUses(config).map((use) => use.path.map(String));
  return parsed.error.issues
    .filter((issue) => {
      const path = issue.path.map(String);
      return !fedByParameter.some((prefix) => prefix.every((part, index) => path[index] === part));
    })
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
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 });

/** The allowed range of a number field in a few characters: "1 – 64", "> 0 and < 1", "≥ 0". */
export function rangeText(
  field: Pick<FormField, 'min' | 'max' | 'exclusiveMin' | 'exclusiveMax' | 'valueType'>,
): string {
  const { min, max } = field;
  const whole = field.valueType === 'integer' ? 'Whole number' : '';
  let range = '';
  if (min !== undefined && max !== undefined && !field.exclusiveMin && !field.exclusiveMax) {
    range = `${numberFormat.format(min)} – ${numberFormat.format(max)}`;
  } else {
    const parts: string[] = [];
    if (min !== undefined) parts.push(`${field.exclusiveMin ? '>' : '≥'} ${numberFormat.format(min)}`);
    if (max !== undefined) parts.push(`${field.exclusiveMax ? '<' : '≤'} ${numberFormat.format(max)}`);
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
 * Compiler problems and the form's own ones, without repeats: the compiler's message for a field
 * usually wraps the same schema message ("Split "split_1": "Test fraction" Too small…").
 */
export function mergeProblems(
  compiler: readonly FieldProblem[],
  local: readonly FieldProblem[],
): FieldProblem[] {
  const merged = [...compiler];
  for (const problem of local) {
    const repeated = compiler.some(
      (other) =>
        other.field === problem.field &&
        (other.message.endsWith(problem.message) ||
          (problem.message === REQUIRED && /received undefined$/.test(other.message))),
    );
    if (!repeated) merged.push(problem);
  }
  return merged.filter(
    (problem, index) =>
      merged.findIndex((other) => other.field === problem.field && other.message === problem.message) ===
      index,
  );
}
