import { z } from 'zod';
import { columnNameSchema, columnSelectorSchema } from '../_data/columns';
import { defineNode } from '../_kit/define-node';
import { inferFeatureColumns } from './infer-columns';

export const dateParts = ['year', 'month', 'day', 'weekday', 'hour'] as const;

/** One feature operation; they apply in order, learning from training rows when the data is split. */
export const featureOperationSchema = z.discriminatedUnion('op', [
  z
    .object({ op: z.literal('standardize'), columns: columnSelectorSchema })
    .meta({ title: 'Standardise (mean 0, std 1)' }),
  z.object({ op: z.literal('min_max'), columns: columnSelectorSchema }).meta({ title: 'Scale to 0–1' }),
  z
    .object({
      op: z.literal('one_hot'),
      columns: columnSelectorSchema,
      topK: z
        .number()
        .int()
        .min(1)
        .max(200)
        .default(10)
        .meta({ title: 'Most frequent values kept', description: 'The rest share an “other” column.' }),
    })
    .meta({ title: 'One-hot encode' }),
  z
    .object({ op: z.literal('ordinal'), columns: columnSelectorSchema })
    .meta({ title: 'Number the categories' }),
  z.object({ op: z.literal('log'), columns: columnSelectorSchema }).meta({ title: 'Log (1 + x)' }),
  z.object({ op: z.literal('sqrt'), columns: columnSelectorSchema }).meta({ title: 'Square root' }),
  z
    .object({
      op: z.literal('bin'),
      column: columnNameSchema,
      bins: z.number().int().min(2).max(100).default(5),
      method: z.enum(['width', 'quantile']).default('quantile'),
    })
    .meta({ title: 'Bin a number' }),
  z
    .object({
      op: z.literal('date_parts'),
      column: columnNameSchema,
      parts: z.array(z.enum(dateParts)).min(1),
    })
    .meta({ title: 'Date parts' }),
  z
    .object({
      op: z.literal('derive'),
      name: z.string().min(1).meta({ title: 'New column' }),
      expression: z
        .string()
        .min(1)
        .meta({ description: 'Arithmetic on columns, e.g. income / (household + 1).' }),
    })
    .meta({ title: 'New column from a formula' }),
]);

export type FeatureOperation = z.infer<typeof featureOperationSchema>;

export const featureSpec = defineNode({
  type: 'feature',
  version: 1,
  category: 'feature',
  title: 'Engineer features',
  description: 'Scale, encode, transform, bin and derive columns; choose the features and the target.',
  icon: 'wand',
  config: z.object({
    operations: z.array(featureOperationSchema).default([]),
    /** The columns the model sees; all but the target when empty. */
    features: columnSelectorSchema.optional(),
    target: z.string().optional(),
  }),
  ui: {
    operations: {
      label: 'Operations',
      widget: 'list',
      help: 'Applied in order; learned values come from training rows only.',
    },
    features: { label: 'Feature columns', widget: 'columns' },
    target: { label: 'Target column', widget: 'column' },
  },
  inferColumns: inferFeatureColumns,
  inputs: { data: { kind: 'dataset', label: 'Data' } },
  outputs: { data: { kind: 'dataset', label: 'Features' } },
  execution: { startToClose: '2 hours', heartbeat: '30 seconds', maxAttempts: 3 },
});
