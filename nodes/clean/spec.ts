import { z } from 'zod';
import { columnNameSchema, columnSelectorSchema } from '../_data/columns';
import { conditionSchema } from '../_data/condition';
import { logicalTypeSchema } from '../_data/dataset-schema';
import { defineNode } from '../_kit/define-node';
import { inferCleanColumns } from './infer-columns';

const column = columnNameSchema;
const action = z
  .enum(['fail', 'warn'])
  .default('fail')
  .meta({ title: 'When broken', description: 'Fail the step, or only warn in its report.' });

/** One cleaning operation; they apply in order. */
export const cleanOperationSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('drop'), columns: columnSelectorSchema }).meta({ title: 'Drop columns' }),
  z.object({ op: z.literal('keep'), columns: columnSelectorSchema }).meta({ title: 'Keep only columns' }),
  z
    .object({ op: z.literal('rename'), from: column, to: z.string().min(1).meta({ title: 'New name' }) })
    .meta({ title: 'Rename a column' }),
  z
    .object({ op: z.literal('cast'), column, to: logicalTypeSchema.meta({ title: 'New type' }) })
    .meta({ title: 'Change a column’s type' }),
  z
    .object({
      op: z.literal('impute'),
      columns: columnSelectorSchema,
      strategy: z.enum(['mean', 'median', 'most_frequent', 'constant']),
      value: z
        .union([z.number(), z.string(), z.boolean()])
        .optional()
        .meta({ title: 'Constant', description: 'With the constant strategy.' }),
    })
    .meta({ title: 'Fill missing values', description: 'Learned from the training rows.' }),
  z.object({ op: z.literal('drop_missing'), columns: columnSelectorSchema.optional() }).meta({
    title: 'Drop rows with missing values',
    description: 'In the chosen columns; in any column by default.',
  }),
  z
    .object({ op: z.literal('deduplicate'), columns: columnSelectorSchema.optional() })
    .meta({ title: 'Remove duplicate rows', description: 'Compared on the chosen columns; all by default.' }),
  z
    .object({ op: z.literal('filter'), condition: conditionSchema.meta({ title: 'Keep rows where' }) })
    .meta({ title: 'Filter rows' }),
  z
    .object({
      op: z.literal('clip'),
      columns: columnSelectorSchema,
      method: z.enum(['quantile', 'iqr']).default('iqr'),
      lower: z.number().min(0).max(1).default(0.01).meta({ title: 'Lower quantile' }),
      upper: z.number().min(0).max(1).default(0.99).meta({ title: 'Upper quantile' }),
    })
    .meta({ title: 'Clip outliers' }),
  z
    .object({
      op: z.literal('text'),
      columns: columnSelectorSchema,
      trim: z.boolean().default(true).meta({ title: 'Trim spaces' }),
      lower: z.boolean().default(false).meta({ title: 'Lower case' }),
    })
    .meta({ title: 'Tidy text' }),
]);

/** A data-quality rule: measured on the cleaned data, failing the step or only warning. */
export const qualityRuleSchema = z.discriminatedUnion('rule', [
  z
    .object({
      rule: z.literal('max_missing'),
      column,
      fraction: z.number().min(0).max(1).meta({ title: 'Largest missing fraction' }),
      action,
    })
    .meta({ title: 'At most this much missing' }),
  z
    .object({
      rule: z.literal('min_rows'),
      rows: z.number().int().min(0).meta({ title: 'Fewest rows' }),
      action,
    })
    .meta({ title: 'At least this many rows' }),
  z
    .object({
      rule: z.literal('range'),
      column,
      min: z.number().optional(),
      max: z.number().optional(),
      action,
    })
    .meta({ title: 'Values within a range' }),
  z
    .object({
      rule: z.literal('in_set'),
      column,
      values: z
        .array(z.union([z.string(), z.number()]))
        .min(1)
        .meta({ title: 'Allowed values', widget: 'values' }),
      action,
    })
    .meta({ title: 'Values from a set' }),
  z
    .object({
      rule: z.literal('unique'),
      columns: z.array(column).min(1).meta({ widget: 'columns' }),
      action,
    })
    .meta({ title: 'No duplicate values' }),
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
      widget: 'list',
      help: 'Applied in order. Values that are learned come from training rows only.',
    },
    rules: {
      label: 'Data-quality rules',
      widget: 'list',
      help: 'Each rule fails the step or warns; the report lists every measured value.',
    },
  },
  inferColumns: inferCleanColumns,
  inputs: { data: { kind: 'dataset', label: 'Data' } },
  outputs: { data: { kind: 'dataset', label: 'Clean data' } },
  execution: { startToClose: '2 hours', heartbeat: '30 seconds', maxAttempts: 3 },
});
