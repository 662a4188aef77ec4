import { z } from 'zod';

/**
 * The answer of `GET /api/health`: written by the app, read by the launcher while it waits for the
 * app to come up (and by tests). Here rather than in app/ so runtime/ need not import the app.
 */
const componentSchema = z.object({ ok: z.boolean(), detail: z.string() });

export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  checkedAt: z.string(),
  database: componentSchema.extend({
    migrations: z.object({ applied: z.number(), latest: z.number(), latestTag: z.string() }).optional(),
  }),
  temporal: componentSchema.extend({ address: z.string(), namespace: z.string() }),
  worker: componentSchema.extend({ taskQueue: z.string(), pollers: z.number() }),
  /** The prediction server (`npm run serve`), at its URL; absent when the app is not told where it is. */
  serving: componentSchema.extend({ url: z.string() }).optional(),
});

export type Health = z.infer<typeof healthSchema>;
export type ComponentHealth = z.infer<typeof componentSchema>;
