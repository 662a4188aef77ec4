import { z } from 'zod';

/**
 * What a pipeline workflow returns, as a schema: code outside the workflow reads results from
 * Temporal with it (a payload is whatever was stored, not a checked type). It lives apart from
 * pipeline.types.ts because the workflow imports that file, and workflow code loads no zod; the
 * types below reach it there through type-only imports, which are erased.
 */
export const stepStateSchema = z.enum([
  'pending',
  'running',
  'succeeded',
  'failed',
  'skipped',
  'cancelled',
  'cached',
]);

export type StepState = z.infer<typeof stepStateSchema>;

export const runResultSchema = z.object({
  status: z.enum(['succeeded', 'failed', 'cancelled']),
  error: z.string().optional(),
  steps: z.record(z.string(), stepStateSchema),
});

export type RunResult = z.infer<typeof runResultSchema>;
