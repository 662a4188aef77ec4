import { z } from 'zod';

/** Reading the JSON schema zod writes for a node's config: the parts the form uses. Pure. */

export interface JsonSchema {
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
  /** Form metadata a schema carries through zod's .meta(). */
  widget?: string;
  title?: string;
  description?: string;
  examples?: unknown[];
}

export const jsonSchemaSchema: z.ZodType<JsonSchema> = z.lazy(() =>
  z.looseObject({
    type: z.union([z.string(), z.array(z.string())]).optional(),
    enum: z.array(z.unknown()).optional(),
    const: z.unknown().optional(),
    default: z.unknown().optional(),
    anyOf: z.array(jsonSchemaSchema).optional(),
    oneOf: z.array(jsonSchemaSchema).optional(),
    allOf: z.array(jsonSchemaSchema).optional(),
    properties: z.record(z.string(), jsonSchemaSchema).optional(),
    required: z.array(z.string()).optional(),
    items: jsonSchemaSchema.optional(),
    additionalProperties: z.union([jsonSchemaSchema, z.boolean()]).optional(),
    minimum: z.number().optional(),
    maximum: z.number().optional(),
    exclusiveMinimum: z.number().optional(),
    exclusiveMaximum: z.number().optional(),
    minLength: z.number().optional(),
    maxLength: z.number().optional(),
    $ref: z.string().optional(),
    $defs: z.record(z.string(), jsonSchemaSchema).optional(),
    widget: z.string().optional(),
    title: z.string().optional(),
    description: z.string().optional(),
    examples: z.array(z.unknown()).optional(),
  }),
);

export type ValueType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object' | 'unknown';

export type OptionValue = string | number | boolean;

/** Follows a local `$ref` (zod puts recursive schemas in `$defs`). */
export function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
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

export function variants(schema: JsonSchema): JsonSchema[] | undefined {
  return schema.anyOf ?? schema.oneOf;
}

function isNullSchema(schema: JsonSchema): boolean {
  return schema.type === 'null' || (schema.const === null && schema.type === undefined);
}

/** `X | null` (nullable, optional) unions read as X. */
export function unwrapNullable(schema: JsonSchema, root: JsonSchema): JsonSchema {
  const options = variants(schema);
  if (!options) return schema;
  const rest = options.filter((option) => !isNullSchema(option));
  if (rest.length === 1 && rest[0]) return { ...resolve(rest[0], root), default: schema.default };
  return schema;
}

export function valueTypeOf(schema: JsonSchema, root: JsonSchema): ValueType {
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
export function optionsOf(schema: JsonSchema, root: JsonSchema): OptionValue[] | undefined {
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
export function meaningful(bound: number | undefined): number | undefined {
  return bound !== undefined && Math.abs(bound) < Number.MAX_SAFE_INTEGER ? bound : undefined;
}

/** A small value of the schema's shape (first variant of a union, required properties only). */
export function exampleOf(schema: JsonSchema, root: JsonSchema, depth: number): unknown {
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
