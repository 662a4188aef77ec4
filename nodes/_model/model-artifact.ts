import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { transformSpecSchema } from '../_data/transform-spec';
import { writeAtomically, writeFileAtomic } from '../_kit/atomic-file';
import { algorithmSchema } from './algorithms';
import { ArrayCollector, arrayReviver, hasLargeArrays } from './model-arrays';
import { fittedModelSchema } from './model-schema';

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
  /** File name, beside this one, of the arrays too large to list here (see model-arrays.ts). */
  arrays: z.string().optional(),
});
export type ModelArtifact = z.infer<typeof modelArtifactSchema>;

/**
 * Writes model.json, and beside it model.arrays.bin when the model has large arrays (a forest's
 * trees); returns the files written. The binary file is written array by array, never as one
 * buffer or string. Both are written atomically, the arrays first: a model.json on disk always has
 * its whole arrays file beside it.
 */
export async function writeModelArtifact(file: string, model: ModelArtifact): Promise<string[]> {
  const arraysFile = `${path.basename(file, '.json')}.arrays.bin`;
  const withArrays = hasLargeArrays(model.fitted) ? { ...model, arrays: arraysFile } : model;
  const collector = new ArrayCollector();
  const text = JSON.stringify(withArrays, collector.replacer);
  if (!withArrays.arrays) {
    await writeFileAtomic(file, text);
    return [file];
  }
  const binary = path.join(path.dirname(file), arraysFile);
  await writeAtomically(binary, (temporary) => writeArrays(temporary, collector.arrays));
  await writeFileAtomic(file, text);
  return [file, binary];
}

async function writeArrays(file: string, arrays: Uint8Array[]): Promise<void> {
  const handle = await open(file, 'wx');
  try {
    for (const bytes of arrays) {
      // A write may take fewer bytes than it was given.
      for (let done = 0; done < bytes.byteLength; ) done += (await handle.write(bytes, done)).bytesWritten;
    }
  } finally {
    await handle.close();
  }
}

export async function readModelArtifact(file: string): Promise<ModelArtifact> {
  const text = await readFile(file, 'utf8');
  const parsed: unknown = JSON.parse(text);
  const { arrays } = z.object({ arrays: z.string().optional() }).parse(parsed);
  // Without an arrays file the one parse is all there is; with one, the JSON is small (references
  // in place of the arrays) and is parsed again to put the arrays in.
  if (!arrays) return modelArtifactSchema.parse(parsed);
  const binary = path.join(path.dirname(file), path.basename(arrays));
  const bytes = await readFile(binary).catch((error: unknown) => {
    throw new Error(`The model's arrays file ${arrays} beside ${path.basename(file)} cannot be read`, {
      cause: error,
    });
  });
  return modelArtifactSchema.parse(JSON.parse(text, arrayReviver(bytes, arrays)));
}
