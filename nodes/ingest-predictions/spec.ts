import { z } from 'zod';
import { modelNameSchema } from '../../registry/version-schema';
import { defineNode } from '../_kit/define-node';

export const windowUnits = ['hours', 'days'] as const;

export const ingestPredictionsSpec = defineNode({
  type: 'ingest.predictions',
  version: 1,
  category: 'ingest',
  title: 'Logged predictions with feedback',
  description:
    'Read what a deployed model was asked in a time window, for the predictions that got feedback: the raw inputs as logged plus the true label or value as the target. Retraining then learns from what production saw; connect the original training rows to add them.',
  icon: 'history',
  config: z.object({
    model: modelNameSchema,
    windowLength: z.number().positive('The window is longer than 0').default(7),
    windowUnit: z.enum(windowUnits).default('days'),
    from: z.string().trim().max(40, 'A time has at most 40 characters').default(''),
    to: z.string().trim().max(40, 'A time has at most 40 characters').default(''),
    target: z.string().trim().max(200, 'A column name has at most 200 characters').default(''),
  }),
  ui: {
    model: {
      label: 'Model',
      widget: 'model',
      help: 'A registered model (see Models). The input columns are those of its production version; predictions of its versions with the same inputs are read.',
    },
    windowLength: {
      label: 'Last',
      widget: 'number',
      help: 'How far back to read predictions, up to when the run started (when From and To are empty).',
    },
    windowUnit: { label: 'Unit', widget: 'select' },
    from: {
      label: 'From',
      widget: 'text',
      help: 'Start of the window as an ISO time (2026-12-07T10:00:00Z), e.g. a parameter filled by a retraining step with {{window.from}}. Set with To; it replaces Last.',
      advanced: true,
    },
    to: {
      label: 'To',
      widget: 'text',
      help: 'End of the window (not included), as an ISO time. Set with From.',
      advanced: true,
    },
    target: {
      label: 'Target column',
      widget: 'text',
      help: "The name of the column holding the feedback. Empty: the target the production version was trained on, else 'label'.",
    },
  },
  inputs: {
    append: { kind: 'dataset', label: 'Add training rows (raw)', optional: true },
  },
  outputs: { data: { kind: 'dataset', label: 'Dataset' } },
  execution: { startToClose: '30 minutes', heartbeat: '30 seconds', maxAttempts: 3 },
});
