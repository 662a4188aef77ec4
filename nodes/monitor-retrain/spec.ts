import { z } from 'zod';
import { defineNode } from '../_kit/define-node';
import { startLevels } from './decide';

/** A parameter of the retraining run: text (which may hold placeholders), a number or a yes/no. */
const parameterValueSchema = z.union([z.string(), z.number(), z.boolean()]);

export const monitorRetrainSpec = defineNode({
  type: 'monitor.retrain',
  version: 1,
  category: 'monitor',
  title: 'Retrain on alert',
  description:
    'When the drift check before it opens an alert, start a run of a retraining pipeline (trigger "monitor"), with parameters such as the checked window, and link the alert to that run. A continuing alert starts no second run.',
  icon: 'refresh-cw',
  config: z.object({
    pipeline: z
      .string()
      .trim()
      .min(1, 'Name the pipeline to run (its name, as in Pipelines, or its id)')
      .max(200, 'A pipeline name has at most 200 characters'),
    parameters: z
      .record(z.string().trim().min(1, 'A parameter needs a name'), parameterValueSchema)
      .default({}),
    startOn: z.enum(startLevels).default('alert'),
  }),
  ui: {
    pipeline: {
      label: 'Pipeline to run',
      widget: 'text',
      help: 'The retraining pipeline, by name (as in Pipelines) or id. Its latest saved version runs; an archived pipeline, or one never saved, fails the step.',
    },
    parameters: {
      label: 'Parameters',
      widget: 'json',
      help: 'Values for the pipeline\'s parameters, by name, e.g. {"from": "{{window.from}}", "to": "{{window.to}}"}. Text may use {{window.from}}, {{window.to}}, {{model}}, {{version}}, {{state}} and {{check}}, filled from the drift report.',
    },
    startOn: {
      label: 'Start when the check is at',
      widget: 'select',
      help: 'alert: only when the inputs have drifted (the check is in alert). warn: already when some feature warns.',
    },
  },
  inputs: { report: { kind: 'drift', label: 'Drift report' } },
  // No output: what the step did is the run it started, linked from the alert, and its summary.
  outputs: {},
  execution: { startToClose: '5 minutes', heartbeat: '1 minute', maxAttempts: 3 },
});
