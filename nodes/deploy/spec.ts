import { z } from 'zod';
import { metricNames } from '../../ml/metrics/summary';
import { modelNameSchema } from '../../registry/version-schema';
import { defineNode } from '../_kit/define-node';

export const deployActions = ['register', 'staging', 'production'] as const;
export type DeployAction = (typeof deployActions)[number];

export const deploySpec = defineNode({
  type: 'deploy',
  version: 1,
  category: 'deploy',
  title: 'Deploy model',
  description:
    'Register the model as a new version in the model registry, and optionally set it as staging or promote it to production, where the prediction endpoint serves it.',
  icon: 'rocket',
  config: z.object({
    model: modelNameSchema,
    action: z.enum(deployActions).default('register'),
    /**
     * Champion/challenger: when set, the new version takes the alias only if it beats the version in
     * production on this metric by at least `margin`, both scored on the same raw test rows. For
     * errors and losses (rmse, mae, mape, log_loss) lower is better: beating means lower by the margin.
     */
    compareMetric: z
      .string()
      .min(1)
      .optional()
      .meta({ examples: [...metricNames] }),
    margin: z.number().min(0, 'The margin is 0 or more').default(0),
  }),
  ui: {
    model: {
      label: 'Model name',
      widget: 'model',
      help: 'A new name registers a new model; an existing name (see Models) adds a version to it. Letters, digits, dots, dashes and underscores; it becomes part of the endpoint URL.',
    },
    action: {
      label: 'Action',
      widget: 'select',
      help: 'Register only; register and set staging; or register and promote to production (needs an operator to start the run, else it stays in staging).',
    },
    compareMetric: {
      label: 'Only if it beats production on',
      widget: 'text',
      help: 'A metric (accuracy, f1, rmse …). Both versions are scored on the same test rows; the new one takes the alias only if it is better by at least the margin. Empty: no comparison.',
    },
    margin: {
      label: 'By at least',
      widget: 'number',
      help: 'How much better the new version must be on that metric, e.g. 0.01 for one point of accuracy (for rmse or log loss: that much lower).',
    },
  },
  inputs: {
    model: { kind: 'model', label: 'Model' },
    report: { kind: 'report', label: 'Evaluation report' },
    data: { kind: 'dataset', label: 'Split data (raw rows)' },
  },
  // No output port: what the step did lives in the registry (the version, the alias, the ledger)
  // and in its summary. (The artifacts table has no kind for a deployment yet: a JSON output would
  // be stored, and shown, as an evaluation report.)
  outputs: {},
  execution: { startToClose: '1 hour', heartbeat: '30 seconds', maxAttempts: 2 },
});
