import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic } from '../_kit/atomic-file';
import { logicalTypeSchema } from './dataset-schema';

/**
 * What a row goes through on its way to the model, with every learned value (impute values, clip
 * bounds, scaling, category lists) written out, so serving replays exactly the same transforms.
 * Row filters (drop missing, de-duplicate, filter) shape the training set only and are not replayed.
 */
export const transformStepSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('drop'), columns: z.array(z.string()) }),
  z.object({ op: z.literal('rename'), from: z.string(), to: z.string() }),
  z.object({ op: z.literal('cast'), column: z.string(), to: logicalTypeSchema }),
  z.object({
    op: z.literal('impute'),
    column: z.string(),
    strategy: z.string(),
    value: z.union([z.number(), z.string(), z.boolean()]),
  }),
  z.object({ op: z.literal('clip'), column: z.string(), lower: z.number(), upper: z.number() }),
  z.object({ op: z.literal('text'), column: z.string(), trim: z.boolean(), lower: z.boolean() }),
  z.object({ op: z.literal('standardize'), column: z.string(), mean: z.number(), std: z.number() }),
  z.object({ op: z.literal('min_max'), column: z.string(), min: z.number(), max: z.number() }),
  /** One 0/1 column per category, named "column=value", plus "column=other" for everything else. */
  z.object({
    op: z.literal('one_hot'),
    column: z.string(),
    categories: z.array(z.string()),
    other: z.boolean(),
  }),
  /** Category → its index in `categories`; an unseen category becomes -1. */
  z.object({ op: z.literal('ordinal'), column: z.string(), categories: z.array(z.string()) }),
  z.object({ op: z.literal('log'), column: z.string() }),
  z.object({ op: z.literal('sqrt'), column: z.string() }),
  /** Bin index: the number of inner edges at or below the value. */
  z.object({ op: z.literal('bin'), column: z.string(), edges: z.array(z.number()) }),
  z.object({ op: z.literal('date_part'), column: z.string(), part: z.string(), as: z.string() }),
  z.object({ op: z.literal('derive'), name: z.string(), expression: z.string() }),
  z.object({ op: z.literal('select'), features: z.array(z.string()), target: z.string().optional() }),
]);

export const transformSpecSchema = z.object({
  version: z.literal(1),
  /** The raw columns the steps start from (as ingested), so serving knows the inputs it takes. */
  columns: z.array(z.object({ name: z.string(), storage: z.string() })).optional(),
  steps: z.array(transformStepSchema),
});
export type TransformStep = z.infer<typeof transformStepSchema>;
export type TransformSpec = z.infer<typeof transformSpecSchema>;

/** The spec travels beside its dataset: data.parquet → data.transforms.json. */
export function transformSpecPath(parquetFile: string): string {
  return parquetFile.replace(/\.parquet$/, '.transforms.json');
}

export function readTransformSpec(parquetFile: string): TransformSpec {
  const file = transformSpecPath(parquetFile);
  if (!existsSync(file)) return { version: 1, steps: [] };
  return transformSpecSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

export async function writeTransformSpec(parquetFile: string, spec: TransformSpec): Promise<void> {
  await writeFileAtomic(transformSpecPath(parquetFile), `${JSON.stringify(spec, null, 2)}\n`);
}
