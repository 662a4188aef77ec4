import { z } from 'zod';
import { modelNameSchema } from '../../registry/version-schema';
import { defineNode } from '../_kit/define-node';

export const referenceSources = ['registry', 'input'] as const;
export const windowUnits = ['hours', 'days'] as const;
/** last: the last N hours or days; since last check: from where the step's previous check ended. */
export const currentWindows = ['last', 'since last check'] as const;

/** PSI thresholds: at or above `psiWarn` a feature warns, at or above `psiAlert` it alerts. */
const psiWarn = z.number().min(0, 'A PSI threshold is 0 or more');
const psiAlert = z.number().min(0, 'A PSI threshold is 0 or more');

/** Warning first: a feature in alert has warned already. */
const warnNotAboveAlert = (thresholds: { psiWarn: number; psiAlert: number }) =>
  thresholds.psiWarn <= thresholds.psiAlert;
const warnAboveAlert = {
  message: 'The warning threshold must not be above the alert threshold',
  path: ['psiWarn'],
};

/** One feature's own thresholds, in place of the step's. */
export const featureThresholdSchema = z
  .object({
    feature: z.string().trim().min(1, 'Name the feature (an input column of the model)'),
    psiWarn: psiWarn.default(0.1),
    psiAlert: psiAlert.default(0.2),
  })
  .refine(warnNotAboveAlert, warnAboveAlert);
export type FeatureThreshold = z.infer<typeof featureThresholdSchema>;

export const monitorDriftSpec = defineNode({
  type: 'monitor.drift',
  version: 1,
  category: 'monitor',
  title: 'Monitor drift',
  description:
    'Compare what a deployed model is being asked (its logged predictions, or a dataset) with what it was trained on, feature by feature: PSI, KS or chi-square, missing values. Records the check, and raises an alert when the inputs have drifted; a continuing drift raises no second alert.',
  icon: 'activity',
  config: z
    .object({
      model: modelNameSchema,
      reference: z.enum(referenceSources).default('registry'),
      windowLength: z.number().positive('The window is longer than 0').default(24),
      windowUnit: z.enum(windowUnits).default('hours'),
      currentWindow: z.enum(currentWindows).default('last'),
      psiWarn: psiWarn.default(0.1),
      psiAlert: psiAlert.default(0.2),
      featureThresholds: z
        .array(featureThresholdSchema)
        .default([])
        .refine((entries) => new Set(entries.map((entry) => entry.feature)).size === entries.length, {
          message: 'Each feature may have one set of thresholds',
        }),
      driftShare: z
        .number()
        .gt(0, 'The share is more than 0')
        .max(1, 'The share is at most 1 (every feature)')
        .default(0.5),
      measurePerformance: z.boolean().default(true),
      maxMetricDrop: z.number().min(0, 'The drop is 0 or more').max(1, 'The drop is at most 1').default(0.05),
      maxErrorRise: z.number().min(0, 'The rise is 0 or more').default(0.2),
      minLabelled: z.number().int('A whole number').min(1, 'At least 1').default(30),
      performanceDays: z.number().positive('The window is longer than 0').default(7),
    })
    .refine(warnNotAboveAlert, warnAboveAlert),
  ui: {
    model: {
      label: 'Model',
      widget: 'model',
      help: 'A registered model (see Models). Its production version is watched: its input columns, its logged predictions and the reference kept when it was registered.',
    },
    reference: {
      label: 'Compare with',
      widget: 'select',
      help: "registry: the raw training rows kept when the production version was registered. input: the dataset connected to the Reference port (raw rows, never the feature step's output: that is scaled in place under the same names).",
    },
    windowLength: {
      label: 'Last',
      widget: 'number',
      help: 'How far back to read the logged predictions, up to when the run started. Ignored when a dataset is connected to the Current port.',
    },
    windowUnit: { label: 'Unit', widget: 'select' },
    currentWindow: {
      label: 'Read predictions',
      widget: 'select',
      help: 'last: the last N hours or days before the run started. since last check: everything from where this step’s previous check ended (the last N hours or days the first time), so no prediction is skipped or read twice.',
    },
    psiWarn: {
      label: 'Warn at PSI',
      widget: 'number',
      help: 'A feature whose population stability index is at least this is in warning (0.1 by default).',
    },
    psiAlert: {
      label: 'Alert at PSI',
      widget: 'number',
      help: 'A feature whose PSI is at least this is in alert (0.2 by default).',
    },
    featureThresholds: {
      label: 'Per-feature thresholds',
      widget: 'list',
      help: 'Thresholds of their own for some features (a noisy one, or one that matters more).',
      advanced: true,
    },
    driftShare: {
      label: 'Drifted when this share of features alerts',
      widget: 'number',
      help: 'The inputs as a whole have drifted when at least this share of the features is in alert (0.5: half).',
    },
    measurePerformance: {
      label: 'Measure performance from feedback',
      widget: 'checkbox',
      help: 'Score the window’s predictions that have feedback (true labels or values sent to the feedback endpoint, even days later) against the version’s test figures.',
    },
    maxMetricDrop: {
      label: 'Alert when a score drops by',
      widget: 'number',
      help: 'Accuracy, F1 and other scores: alert below the test figure minus this (0.05), warn below half of it.',
      advanced: true,
    },
    maxErrorRise: {
      label: 'Alert when an error rises by (share)',
      widget: 'number',
      help: 'RMSE, MAE and other errors: alert above the test figure times 1 + this (0.2: 20 % worse), warn above half of it.',
      advanced: true,
    },
    performanceDays: {
      label: 'Score the predictions of the last (days)',
      widget: 'number',
      help: 'Performance reads a longer window than drift, since labels may come days after their predictions (7 by default).',
      advanced: true,
    },
    minLabelled: {
      label: 'Judge from this many labelled predictions',
      widget: 'number',
      help: 'With fewer predictions with feedback in the window, performance is shown but raises nothing.',
      advanced: true,
    },
  },
  inputs: {
    reference: { kind: 'dataset', label: 'Reference (raw rows)', optional: true },
    current: { kind: 'dataset', label: 'Current (raw rows)', optional: true },
  },
  outputs: { report: { kind: 'drift', label: 'Drift report' } },
  execution: { startToClose: '30 minutes', heartbeat: '30 seconds', maxAttempts: 2 },
});
