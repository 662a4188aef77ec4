import { z } from 'zod';
import { defineNode } from '../../../../nodes/_kit/define-node';

/**
 * Test-only: reads its input, optionally sleeps (reporting progress, honouring cancellation) and fails
 * on purpose, then writes its output. Lets engine tests exercise retries, failures and crashes.
 */
export const testTransformSpec = defineNode({
  type: 'test.transform',
  version: 1,
  category: 'clean',
  title: 'Test transform',
  description: 'Sleeps, fails or passes data through (engine tests only).',
  icon: 'flask',
  internal: true,
  config: z.object({
    sleepMs: z.number().int().min(0).max(600_000).default(0),
    /** Fail the first N attempts with a transient error, then succeed. */
    failAttempts: z.number().int().min(0).max(10).default(0),
    /** Fail every attempt with an analyst-facing (non-retried) error. */
    failAlways: z.boolean().default(false),
    failMessage: z.string().default('Simulated failure'),
    /** Fail with a transient error while this file does not exist (tests fix the "outage" by creating it). */
    failWhileMissing: z.string().optional(),
    metric: z.number().optional(),
    /** A folder where steps wait for each other (see rendezvous.ts): proves they run at once. */
    rendezvous: z.object({ folder: z.string(), parties: z.number().int().min(1).max(100) }).optional(),
  }),
  ui: {
    sleepMs: { label: 'Sleep (ms)', widget: 'number' },
    failAttempts: { label: 'Fail the first attempts', widget: 'number' },
    failAlways: { label: 'Always fail', widget: 'checkbox' },
    failMessage: { label: 'Failure message' },
    failWhileMissing: { label: 'Fail while this file is missing' },
    metric: { label: 'Metric to report', widget: 'number' },
    rendezvous: { label: 'Wait for other steps in a folder', widget: 'json' },
  },
  inputs: { in: { kind: 'dataset', label: 'Data' } },
  outputs: { out: { kind: 'dataset', label: 'Data' } },
  execution: { startToClose: '10 minutes', heartbeat: '5 seconds', maxAttempts: 3 },
});
