import { z } from 'zod';
import { columnSelectorSchema } from '../_data/columns';
import { defineNode } from '../_kit/define-node';
import { algorithmSchema } from '../_model/algorithms';
import { inferTrainColumns } from './infer-columns';

export const trainSpec = defineNode({
  type: 'train',
  version: 1,
  category: 'train',
  title: 'Train model',
  description:
    'Fit a model on the training rows: gradient boosting, random forest, decision tree, or linear (logistic for classes, ridge for numbers).',
  icon: 'brain',
  config: z.object({
    target: z.string().min(1, 'Choose the target column'),
    algorithm: algorithmSchema.default('gradient_boosting'),
    /** Detected from the target: text, yes/no and whole numbers with few values are classes. */
    task: z.enum(['auto', 'classification', 'regression']).default('auto'),
    /** Every column but the target and the split when left empty. */
    features: columnSelectorSchema.optional(),
    /** Trees: deepest split; unlimited by default (gradient boosting limits leaves instead). */
    maxDepth: z.number().int().min(1).max(64).optional(),
    /** Trees: fewest training rows in a leaf; 1 for single trees and forests, 20 for boosting. */
    minSamplesLeaf: z.number().int().min(1).max(100_000).optional(),
    trees: z.number().int().min(1).max(2000).default(100),
    learningRate: z.number().gt(0).max(1).default(0.1),
    maxIterations: z.number().int().min(1).max(10_000).default(100),
    maxLeafNodes: z.number().int().min(2).max(4096).default(31),
    /** L2 penalty: ridge alpha and 1/C of logistic regression (default 1); boosting's (default 0). */
    l2: z.number().min(0).max(1e6).optional(),
    earlyStopping: z.enum(['auto', 'on', 'off']).default('auto'),
    seed: z.number().int().default(42),
  }),
  ui: {
    target: { label: 'Target column', widget: 'column' },
    algorithm: { label: 'Algorithm', widget: 'select' },
    task: { label: 'Task', widget: 'select', help: 'Detected from the target column unless set.' },
    features: { label: 'Feature columns', widget: 'columns', help: 'All but the target when empty.' },
    maxDepth: { label: 'Max depth', widget: 'number', advanced: true },
    minSamplesLeaf: { label: 'Min rows per leaf', widget: 'number', advanced: true },
    trees: { label: 'Trees (random forest)', widget: 'number', advanced: true },
    learningRate: { label: 'Learning rate (boosting)', widget: 'number', advanced: true },
    maxIterations: { label: 'Iterations (boosting)', widget: 'number', advanced: true },
    maxLeafNodes: { label: 'Leaves per tree (boosting)', widget: 'number', advanced: true },
    l2: { label: 'L2 regularisation', widget: 'number', advanced: true },
    earlyStopping: {
      label: 'Early stopping (boosting)',
      widget: 'select',
      advanced: true,
      help: 'Auto: on above 10,000 training rows, holding out 10% to watch the loss.',
    },
    seed: { label: 'Random seed', widget: 'number', advanced: true },
  },
  inferColumns: inferTrainColumns,
  inputs: { data: { kind: 'dataset', label: 'Training data' } },
  outputs: { model: { kind: 'model', label: 'Model' } },
  execution: { startToClose: '6 hours', heartbeat: '30 seconds', maxAttempts: 2 },
});
