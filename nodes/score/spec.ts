import { z } from 'zod';
import { modelNameSchema } from '../../registry/version-schema';
import { defineNode } from '../_kit/define-node';

export const scoreVersionChoices = ['production', 'staging', 'number'] as const;
export const writeModes = ['create', 'append'] as const;
/** schema.table or table, in the lower case PostgreSQL folds unquoted names to. */
const TABLE_NAME = /^[a-z_][a-z0-9_]{0,62}(\.[a-z_][a-z0-9_]{0,62})?$/;

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
    /** Also write the scored rows to PostgreSQL, through a stored connection that allows writes. */
    writeConnection: z.string().trim().min(1).optional(),
    writeTable: z
      .string()
      .trim()
      .regex(TABLE_NAME, 'Use a lower-case table name, or schema.table: letters, digits and _')
      .optional(),
    writeMode: z.enum(writeModes).default('create'),
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
    writeConnection: {
      label: 'Also write to (connection)',
      widget: 'connection',
      help: 'A stored PostgreSQL connection an admin marked “Allows writes”. Empty: the scores stay a dataset only.',
      advanced: true,
    },
    writeTable: {
      label: 'Table',
      widget: 'text',
      help: 'schema.table or table. Every row also gets pipewright_run_id; a retried step replaces its own rows.',
      advanced: true,
    },
    writeMode: {
      label: 'Write mode',
      widget: 'select',
      help: 'create: a new table (refused if it exists); append: add rows to an existing one. One transaction either way.',
      advanced: true,
    },
  },
  inputs: {
    data: { kind: 'dataset', label: 'Rows to score (raw)' },
    model: { kind: 'model', label: 'Model', optional: true },
  },
  outputs: { scored: { kind: 'dataset', label: 'Scored rows' } },
  execution: { startToClose: '2 hours', heartbeat: '1 minute', maxAttempts: 3 },
});
