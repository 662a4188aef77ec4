import { z } from 'zod';
import { metricNames } from '../../ml/metrics/summary';
import { conditionSchema } from '../_data/condition';
import { defineNode } from '../_kit/define-node';
import { inferEvaluateColumns } from './infer-columns';

export const gateOperators = ['>=', '>', '<=', '<'] as const;

/** A segment of the test rows measured on its own, e.g. "age over 50". */
export const sliceSchema = z.object({
  name: z.string().min(1, 'Name the slice'),
  condition: conditionSchema.meta({ title: 'Rows where' }),
});

/**
 * A pass/fail rule on a metric: `accuracy >= 0.85`, or on a slice: `slice "age > 50" recall >= 0.85`.
 * With `compare: 'production'`, the value is a margin against the model in production instead:
 * `accuracy >= production - 0.01`.
 */
export const gateSchema = z.object({
  metric: z
    .string()
    .min(1, 'Choose the metric')
    .meta({ examples: [...metricNames] }),
  operator: z.enum(gateOperators),
  value: z.number().meta({ description: 'With “production”, the margin: −0.01 allows one point worse.' }),
  slice: z.string().optional().meta({ description: 'A slice’s name; the whole test set when empty.' }),
  compare: z
    .enum(['value', 'production'])
    .default('value')
    .meta({ title: 'Compare with', description: 'A fixed value, or the model in production.' }),
});
export type Gate = z.infer<typeof gateSchema>;

export const evaluateSpec = defineNode({
  type: 'evaluate',
  version: 1,
  category: 'evaluate',
  title: 'Evaluate model',
  description:
    'Measure the model on the test rows, overall and per slice, and pass or fail it against gates before it may be deployed.',
  icon: 'gauge',
  config: z.object({
    slices: z.array(sliceSchema).default([]),
    gates: z.array(gateSchema).default([]),
  }),
  ui: {
    slices: { label: 'Slices', widget: 'list', help: 'Segments measured on their own, each a condition.' },
    gates: {
      label: 'Gates',
      widget: 'list',
      help: 'Each gate must hold for the step to pass; a failed gate stops the pipeline before deploy.',
    },
  },
  inferColumns: inferEvaluateColumns,
  inputs: {
    model: { kind: 'model', label: 'Model' },
    data: { kind: 'dataset', label: 'Test data' },
  },
  outputs: { report: { kind: 'report', label: 'Evaluation report' } },
  execution: { startToClose: '1 hour', heartbeat: '30 seconds', maxAttempts: 2 },
});
