import { z } from 'zod';
import { modelNameSchema } from '../../registry/version-schema';
import { defineNode } from '../_kit/define-node';

export const scoreVersionChoices = ['production', 'staging', 'number'] as const;

export const scoreSpec = defineNode({
  type: 'score',
  version: 1,
  category: 'deploy',
  title: 'Batch score',
  description:
    'Score a dataset with a model, from the canvas or from the registry: every row gets the predicted label and each class’s probability (or the predicted value). Streams in batches, so any number of rows runs in bounded memory.',
  icon: 'list-checks',
  config: z.object({
    /** A registered model; used when nothing is connected to the Model port. */
    model: modelNameSchema.optional(),
    version: z.enum(scoreVersionChoices).default('production'),
    versionNumber: z.number().int('A whole number').min(1, 'Versions start at 1').optional(),
  }),
  ui: {
    model: {
      label: 'Registered model',
      widget: 'model',
      help: 'Score with a model from the registry (see Models). Leave empty when a trained model is connected to the Model port.',
    },
    version: {
      label: 'Version',
      widget: 'select',
      help: 'The version its production or staging alias points at when the run starts, or a numbered version.',
    },
    versionNumber: {
      label: 'Version number',
      widget: 'number',
      help: 'With Version set to number: which version.',
    },
  },
  inputs: {
    data: { kind: 'dataset', label: 'Rows to score (raw)' },
    model: { kind: 'model', label: 'Model', optional: true },
  },
  outputs: { scored: { kind: 'dataset', label: 'Scored rows' } },
  execution: { startToClose: '2 hours', heartbeat: '1 minute', maxAttempts: 3 },
});
