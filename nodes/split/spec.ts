import { z } from 'zod';
import { defineNode } from '../_kit/define-node';
import { inferSplitColumns } from './infer-columns';

export const splitSpec = defineNode({
  type: 'split',
  version: 1,
  category: 'feature',
  title: 'Split train/test',
  description: 'Mark each row as train, validation or test: at random, stratified by a column, or by time.',
  icon: 'scissors',
  config: z
    .object({
      method: z.enum(['random', 'stratified', 'time']).default('stratified'),
      testFraction: z.number().gt(0).lt(1).default(0.2),
      validationFraction: z.number().min(0).lt(1).default(0),
      seed: z.number().int().default(42),
      /** Stratified: keep each value's share of this column (usually the target) in every part. */
      stratifyBy: z.string().optional(),
      /** Time: the latest rows become the test (and validation) rows. */
      timeColumn: z.string().optional(),
    })
    .refine((config) => config.testFraction + config.validationFraction < 1, {
      message: 'Test and validation fractions together must leave rows for training',
      path: ['validationFraction'],
    })
    .refine((config) => config.method !== 'stratified' || Boolean(config.stratifyBy), {
      message: 'Choose the column to stratify by (usually the target)',
      path: ['stratifyBy'],
    })
    .refine((config) => config.method !== 'time' || Boolean(config.timeColumn), {
      message: 'Choose the time column',
      path: ['timeColumn'],
    }),
  ui: {
    method: { label: 'Method', widget: 'select' },
    testFraction: { label: 'Test fraction', widget: 'number' },
    validationFraction: { label: 'Validation fraction', widget: 'number', advanced: true },
    seed: { label: 'Random seed', widget: 'number', advanced: true },
    stratifyBy: { label: 'Stratify by', widget: 'column' },
    timeColumn: { label: 'Time column', widget: 'column' },
  },
  inferColumns: inferSplitColumns,
  inputs: { data: { kind: 'dataset', label: 'Data' } },
  outputs: { data: { kind: 'dataset', label: 'Data with split' } },
  execution: { startToClose: '1 hour', heartbeat: '30 seconds', maxAttempts: 3 },
});
