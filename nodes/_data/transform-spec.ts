import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
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
]);

export const transformSpecSchema = z.object({ version: z.literal(1), steps: z.array(transformStepSchema) });
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
  await writeFile(transformSpecPath(parquetFile), `${JSON.stringify(spec, null, 2)}\n`);
}
