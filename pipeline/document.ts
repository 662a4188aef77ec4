import { z } from 'zod';
import { DOCUMENT_LIMITS, documentShapeProblem, formatLimit } from './document-limits';

/** The version this code writes. Older documents are migrated on load; newer ones are refused. */
export const PIPELINE_SCHEMA_VERSION = 1;

const idSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
    'must be 1–64 letters, digits, "_", "." or "-", starting with a letter or digit',
  );

const positionSchema = z.object({ x: z.number(), y: z.number() });

const atMost = (limit: number) => `must be at most ${formatLimit(limit)} characters`;
const nameText = z.string().max(DOCUMENT_LIMITS.nameLength, atMost(DOCUMENT_LIMITS.nameLength));
const descriptionText = z
  .string()
  .max(DOCUMENT_LIMITS.descriptionLength, atMost(DOCUMENT_LIMITS.descriptionLength));
const otherId = z.string().min(1).max(DOCUMENT_LIMITS.idLength, atMost(DOCUMENT_LIMITS.idLength));
/** A list of at most `limit` items, with a message saying what the limit is. */
const listOf = <T extends z.ZodType>(item: T, limit: number, what: string) =>
  z.array(item).max(limit, `A pipeline holds at most ${formatLimit(limit)} ${what}`);

export const parameterTypes = ['string', 'number', 'boolean', 'file'] as const;

export const parameterSchema = z.object({
  /**
   * Any name but "__proto__": values arrive as JSON objects keyed by name, and a "__proto__" key is
   * dropped by zod and by any plain-object copy, so its value would be lost. A leading "_" stays
   * allowed, as before, so pipelines saved with such names still open.
   */
  name: z
    .string()
    .regex(
      /^(?!__proto__$)[A-Za-z_][A-Za-z0-9_]{0,63}$/,
      'must be a name like target_column: up to 64 letters, digits and _, not starting with a digit, and not __proto__',
    ),
  type: z.enum(parameterTypes),
  default: z.unknown().optional(),
  description: descriptionText.default(''),
});

export const nodeSchema = z.object({
  id: idSchema,
  type: nameText.min(1),
  label: nameText.default(''),
  position: positionSchema.default({ x: 0, y: 0 }),
  /**
   * Plain JSON, validated against the node type's schema by the compiler. A value written as
   * {"$param": "name"} is replaced by that pipeline parameter's value at compile time.
   */
  config: z.record(z.string(), z.unknown()).default({}),
  /** Per-node overrides of the node type's execution defaults. */
  execution: z
    .object({
      maxAttempts: z.number().int().min(1).max(20).optional(),
      timeoutMinutes: z
        .number()
        .positive()
        .max(7 * 24 * 60)
        .optional(),
    })
    .optional(),
});

export const endpointSchema = z.object({ node: idSchema, port: nameText.min(1) });

export const edgeSchema = z.object({
  id: otherId,
  source: endpointSchema,
  target: endpointSchema,
});

export const noteSchema = z.object({
  id: otherId,
  text: z.string().max(DOCUMENT_LIMITS.noteLength, atMost(DOCUMENT_LIMITS.noteLength)),
  position: positionSchema,
  width: z.number().positive().optional(),
  height: z.number().positive().optional(),
});

export const pipelineDocumentSchema = z
  .object({
    schemaVersion: z.literal(PIPELINE_SCHEMA_VERSION),
    name: nameText.optional(),
    description: descriptionText.optional(),
    nodes: listOf(nodeSchema, DOCUMENT_LIMITS.nodes, 'nodes'),
    edges: listOf(edgeSchema, DOCUMENT_LIMITS.edges, 'connections').default([]),
    parameters: listOf(parameterSchema, DOCUMENT_LIMITS.parameters, 'parameters').default([]),
    notes: listOf(noteSchema, DOCUMENT_LIMITS.notes, 'notes').default([]),
  })
  // No text in a pipeline may hold NUL: PostgreSQL cannot store it, and no name or label needs it.
  .superRefine((document, context) => {
    const path = findNul(document);
    if (path) context.addIssue({ code: 'custom', path, message: 'must not contain the NUL character (\\0)' });
  });

/**
 * Where the first NUL sits in a string or key of a JSON value, or undefined. Walks with a stack of
 * its own (each entry links to its parent; the path is built only for a find), so deeply nested
 * input can neither overflow the call stack nor cost quadratic time.
 */
export function findNul(value: unknown): (string | number)[] | undefined {
  const pending: NulSearch[] = [{ value }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const node = next;
    if (typeof node.value === 'string') {
      if (node.value.includes('\0')) return pathOf(node);
      continue;
    }
    if (typeof node.value !== 'object' || node.value === null) continue;
    const badKey = Object.keys(node.value).find((key) => key.includes('\0'));
    if (badKey !== undefined) return [...pathOf(node), badKey];
    const isArray = Array.isArray(node.value);
    // Reversed, so the first child is looked at first.
    for (const [key, item] of Object.entries(node.value).reverse()) {
      pending.push({ value: item, key: isArray ? Number(key) : key, parent: node });
    }
  }
  return undefined;
}

interface NulSearch {
  value: unknown;
  key?: string | number;
  parent?: NulSearch;
}

function pathOf(node: NulSearch): (string | number)[] {
  const path: (string | number)[] = [];
  for (let at: NulSearch | undefined = node; at?.key !== undefined; at = at.parent) path.push(at.key);
  return path.reverse();
}

export type PipelineDocument = z.infer<typeof pipelineDocumentSchema>;
export type PipelineNode = z.infer<typeof nodeSchema>;
export type PipelineEdge = z.infer<typeof edgeSchema>;
export type PipelineParameter = z.infer<typeof parameterSchema>;
export type ParameterType = (typeof parameterTypes)[number];

/** One migration per older version: it takes a document of version N and returns version N + 1. */
const migrations: Record<number, (document: Record<string, unknown>) => Record<string, unknown>> = {};

export class DocumentError extends Error {
  override name = 'DocumentError';
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

/** Parses a saved or imported document: migrates it to the current version, then validates it. */
export function parsePipelineDocument(input: unknown): PipelineDocument {
  const migrated = migrateDocument(input);
  const shape = documentShapeProblem(migrated);
  const parsed = shape ? undefined : pipelineDocumentSchema.safeParse(migrated);
  if (parsed?.success) return parsed.data;
  const issues = (shape ? [shape] : (parsed?.error.issues ?? [])).map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const summary = issues.map((issue) => `${issue.path || '(document)'}: ${issue.message}`).join('; ');
  throw new DocumentError(`Not a valid pipeline: ${summary}`, issues);
}

function migrateDocument(input: unknown): Record<string, unknown> {
  if (!isRecord(input)) throw new DocumentError('Not a valid pipeline: expected a JSON object');
  // Documents written before versioning carry no schemaVersion; they are version 1.
  let document: Record<string, unknown> = { schemaVersion: 1, ...input };
  let version = document.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new DocumentError('Not a valid pipeline: schemaVersion must be a positive whole number');
  }
  if (version > PIPELINE_SCHEMA_VERSION) {
    throw new DocumentError(
      `This pipeline was saved by a newer Pipewright (schemaVersion ${version}; this one reads up to ${PIPELINE_SCHEMA_VERSION}).`,
    );
  }
  while (version < PIPELINE_SCHEMA_VERSION) {
    const migrate = migrations[version];
    if (!migrate) throw new DocumentError(`No migration from schemaVersion ${version}`);
    document = { ...migrate(document), schemaVersion: version + 1 };
    version += 1;
  }
  return document;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
