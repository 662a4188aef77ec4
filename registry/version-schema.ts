import { z } from 'zod';

/**
 * What the registry records about a model version, as the deploy step writes it, serving validates
 * requests against it, monitoring reads it and the app shows it. Pure zod: browser-safe.
 */

export const MODEL_ALIASES = ['production', 'staging'] as const;
export const modelAliasSchema = z.enum(MODEL_ALIASES);
export type ModelAlias = z.infer<typeof modelAliasSchema>;

/** Same rule as the database's check (db/registry-schema.ts MODEL_NAME_PATTERN). */
export const modelNameSchema = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/,
    'A model name has 1 to 100 letters, digits, dots, dashes or underscores, and starts with a letter or digit',
  );

/** A class label as the target column holds it. */
export const labelSchema = z.union([z.string(), z.number(), z.boolean()]);
export type ModelLabel = z.infer<typeof labelSchema>;

/**
 * One raw input column of the ONNX graph (one input per column, [N, 1]):
 * - number: JSON numbers (booleans given as true/false are accepted for boolean columns);
 * - string: JSON strings; with `categories`, the values seen in training.
 */
export const signatureColumnSchema = z.object({
  name: z.string(),
  type: z.enum(['number', 'boolean', 'string']),
  /** Known categories of a categorical column, as training saw them. */
  categories: z.array(z.string()).optional(),
  /**
   * What the trained transforms do with a category they never saw: `accept` when they have a place
   * for it (one-hot "other", ordinal −1), `reject` when the request must say which value is wrong.
   */
  unknownCategories: z.enum(['accept', 'reject']).default('accept'),
  /** Whether null (or a missing value) is allowed: the transforms impute it, or the model handles it. */
  nullable: z.boolean(),
});
export type SignatureColumn = z.infer<typeof signatureColumnSchema>;

export const modelOutputSchema = z.discriminatedUnion('task', [
  z.object({ task: z.literal('classification'), labels: z.array(labelSchema) }),
  z.object({ task: z.literal('regression') }),
]);
export type ModelOutput = z.infer<typeof modelOutputSchema>;

export const modelSignatureSchema = z.object({
  /** In the graph's input order. */
  inputs: z.array(signatureColumnSchema),
  output: modelOutputSchema,
});
export type ModelSignature = z.infer<typeof modelSignatureSchema>;

/** For monitoring: each input column's training distribution, computed when the version is registered. */
export const columnReferenceSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('number'),
    /** The 10th, 20th … 90th percentiles of the training rows. */
    deciles: z.array(z.number()),
    missingRate: z.number(),
  }),
  z.object({
    kind: z.literal('category'),
    /** Share of training rows per value. */
    frequencies: z.record(z.string(), z.number()),
    missingRate: z.number(),
  }),
]);
export const versionReferenceSchema = z.record(z.string(), columnReferenceSchema);
export type VersionReference = z.infer<typeof versionReferenceSchema>;

/** The reference sample file (model_files `reference.json`): columns and rows of raw training values. */
export const referenceSampleSchema = z.object({
  columns: z.array(z.string()),
  rows: z.array(z.array(z.union([z.number(), z.string(), z.boolean(), z.null()]))),
});
export type ReferenceSample = z.infer<typeof referenceSampleSchema>;

/** Names of a version's files in the registry. */
export const MODEL_FILE = 'model.onnx';
export const REFERENCE_FILE = 'reference.json';
/**
 * The evaluate step's report (nodes/evaluate/report-schema.ts), kept with the version so its
 * confusion matrix, curves and importances outlive the run's files (the version comparison reads it).
 * Versions registered before it was recorded, and imported ones, have none.
 */
export const EVALUATION_FILE = 'evaluation.json';
