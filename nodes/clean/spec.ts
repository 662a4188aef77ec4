import { z } from 'zod';
import { columnSelectorSchema } from '../_data/columns';
import { conditionSchema } from '../_data/condition';
import { logicalTypeSchema } from '../_data/dataset-schema';
import { defineNode } from '../_kit/define-node';
import { inferCleanColumns } from './infer-columns';

const column = z.string().min(1);

/** One cleaning operation; they apply in order. */
export const cleanOperationSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('drop'), columns: columnSelectorSchema }),
  z.object({ op: z.literal('keep'), columns: columnSelectorSchema }),
  z.object({ op: z.literal('rename'), from: column, to: column }),
  z.object({ op: z.literal('cast'), column, to: logicalTypeSchema }),
  z.object({
    op: z.literal('impute'),
    columns: columnSelectorSchema,
    strategy: z.enum(['mean', 'median', 'most_frequent', 'constant']),
    value: z.union([z.number(), z.string(), z.boolean()]).optional(),
  }),
  z.object({ op: z.literal('drop_missing'), columns: columnSelectorSchema.optional() }),
  z.object({ op: z.literal('deduplicate'), columns: columnSelectorSchema.optional() }),
  z.object({ op: z.literal('filter'), condition: conditionSchema }),
  z.object({
    op: z.literal('clip'),
    columns: columnSelectorSchema,
    method: z.enum(['quantile', 'iqr']).default('iqr'),
    lower: z.number().min(0).max(1).default(0.01),
    upper: z.number().min(0).max(1).default(0.99),
  }),
  z.object({
    op: z.literal('text'),
    columns: columnSelectorSchema,
    trim: z.boolean().default(true),
    lower: z.boolean().default(false),
  }),
]);

/** A data-quality rule: measured on the cleaned data, failing the step or only warning. */
export const qualityRuleSchema = z.discriminatedUnion('rule', [
  z.object({
    rule: z.literal('max_missing'),
    column,
    fraction: z.number().min(0).max(1),
    action: z.enum(['fail', 'warn']).default('fail'),
  }),
  z.object({
    rule: z.literal('min_rows'),
    rows: z.number().int().min(0),
    action: z.enum(['fail', 'warn']).default('fail'),
  }),
  z.object({
    rule: z.literal('range'),
    column,
    min: z.number().optional(),
    max: z.number().optional(),
    action: z.enum(['fail', 'warn']).default('fail'),
  }),
  z.object({
    rule: z.literal('in_set'),
    column,
    values: z.array(z.union([z.string(), z.number()])).min(1),
    action: z.enum(['fail', 'warn']).default('fail'),
  }),
  z.object({
    rule: z.literal('unique'),
    columns: z.array(column).min(1),
    action: z.enum(['fail', 'warn']).default('fail'),
  }),
]);

export type CleanOperation = z.infer<typeof cleanOperationSchema>;
export type QualityRule = z.infer<typeof qualityRuleSchema>;

export const cleanSpec = defineNode({
  type: 'clean',
  version: 1,
  category: 'clean',
  title: 'Clean data',
  description: 'Drop, rename, cast, impute, filter, de-duplicate and clip, then check data-quality rules.',
  icon: 'sparkles',
  config: z.object({
    operations: z.array(cleanOperationSchema).default([]),
    rules: z.array(qualityRuleSchema).default([]),
  }),
  ui: {
    operations: {
      label: 'Operations',
      widget: 'json',
      help: 'Applied in order. Values that are learned come from training rows only.',
    },
    rules: {
      label: 'Data-quality rules',
      widget: 'json',
      help: 'Each rule fails the step or warns; the report lists every measured value.',
    },
  },
  inferColumns: inferCleanColumns,
  inputs: { data: { kind: 'dataset', label: 'Data' } },
  outputs: { data: { kind: 'dataset', label: 'Clean data' } },
  execution: { startToClose: '2 hours', heartbeat: '30 seconds', maxAttempts: 3 },
});
