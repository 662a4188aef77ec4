import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { transformSpecSchema } from '../_data/transform-spec';
import { algorithmSchema } from './algorithms';
import { fittedModelSchema, typedArraysAsLists } from './model-schema';

/** A class label as the target column holds it. */
export const labelSchema = z.union([z.string(), z.number(), z.boolean()]);
export type Label = z.infer<typeof labelSchema>;
export const metricsSchema = z.record(z.string(), z.number());

/**
 * The model file a train step writes (model.json): the fitted parameters and everything needed to
 * use them again: feature order, class order, the transforms from raw columns, the ONNX file's name.
 */
export const modelArtifactSchema = z.object({
  version: z.literal(1),
  algorithm: algorithmSchema,
  task: z.enum(['classification', 'regression']),
  target: z.string(),
  features: z.array(z.string()),
  /** Class labels in the order of the model's probability columns; empty for regression. */
  classes: z.array(labelSchema),
  fitted: fittedModelSchema,
  transforms: transformSpecSchema,
  /** File name of the ONNX graph beside this file; null when a transform has no ONNX form. */
  onnx: z.string().nullable(),
  training: z.object({
    rows: z.number(),
    seconds: z.number(),
    metrics: metricsSchema,
    validation: z.object({ rows: z.number(), metrics: metricsSchema }).optional(),
  }),
  importances: z.array(z.object({ feature: z.string(), importance: z.number() })),
});
export type ModelArtifact = z.infer<typeof modelArtifactSchema>;

export async function writeModelArtifact(file: string, model: ModelArtifact): Promise<void> {
  await writeFile(file, JSON.stringify(model, typedArraysAsLists));
}

export async function readModelArtifact(file: string): Promise<ModelArtifact> {
  return modelArtifactSchema.parse(JSON.parse(await readFile(file, 'utf8')));
}
