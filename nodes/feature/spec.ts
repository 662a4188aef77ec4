import { z } from 'zod';
import { columnSelectorSchema } from '../_data/columns';
import { defineNode } from '../_kit/define-node';
import { inferFeatureColumns } from './infer-columns';

export const dateParts = ['year', 'month', 'day', 'weekday', 'hour'] as const;

/** One feature operation; they apply in order, learning from training rows when the data is split. */
export const featureOperationSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('standardize'), columns: columnSelectorSchema }),
  z.object({ op: z.literal('min_max'), columns: columnSelectorSchema }),
  z.object({
    op: z.literal('one_hot'),
    columns: columnSelectorSchema,
    topK: z.number().int().min(1).max(200).default(10),
  }),
  z.object({ op: z.literal('ordinal'), columns: columnSelectorSchema }),
  z.object({ op: z.literal('log'), columns: columnSelectorSchema }),
  z.object({ op: z.literal('sqrt'), columns: columnSelectorSchema }),
  z.object({
    op: z.literal('bin'),
    column: z.string().min(1),
    bins: z.number().int().min(2).max(100).default(5),
    method: z.enum(['width', 'quantile']).default('quantile'),
  }),
  z.object({
    op: z.literal('date_parts'),
    column: z.string().min(1),
    parts: z.array(z.enum(dateParts)).min(1),
  }),
  z.object({ op: z.literal('derive'), name: z.string().min(1), expression: z.string().min(1) }),
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
      widget: 'json',
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
