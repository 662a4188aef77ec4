import { z } from 'zod';

/**
 * The profile stored with every dataset artifact. Pure (zod only), so the browser reads it with the
 * same schema the worker writes it with.
 */
const plainSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const columnProfileSchema = z.object({
  name: z.string(),
  type: z.string(),
  missing: z.number(),
  missingFraction: z.number(),
  distinct: z.number(),
  min: plainSchema,
  max: plainSchema,
  mean: z.number().nullable(),
  std: z.number().nullable(),
  topValues: z.array(z.object({ value: plainSchema, count: z.number() })),
  /** 20 equal-width bins from min to max (numeric columns only). */
  histogram: z.array(z.object({ from: z.number(), to: z.number(), count: z.number() })),
});

export const datasetProfileSchema = z.object({
  rows: z.number(),
  /** Set when histograms and top values are estimates from a sample of this many rows. */
  sampledRows: z.number().optional(),
  columns: z.array(columnProfileSchema),
});
export type ColumnProfile = z.infer<typeof columnProfileSchema>;
export type DatasetProfile = z.infer<typeof datasetProfileSchema>;

/** The stored profile, or undefined when there is none or it has another shape. */
export function readProfile(value: unknown): DatasetProfile | undefined {
  const parsed = datasetProfileSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
