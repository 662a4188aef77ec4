import { z } from 'zod';

/**
 * A retention pass's heartbeat: what it has done so far and the last artifact it looked at, so a
 * retry after a worker died resumes there. Heartbeat details come back as JSON from Temporal and
 * are checked against this before use.
 */
export const retentionProgressSchema = z.object({
  result: z.object({
    days: z.number().nullable(),
    deleted: z.number(),
    bytes: z.number(),
    outside: z.number(),
  }),
  /** The walk's position in (created_at, id) order, created_at as ISO text; null before the first slice. */
  after: z.object({ createdAt: z.iso.datetime(), id: z.uuid() }).nullable(),
});

export type RetentionProgress = z.infer<typeof retentionProgressSchema>;
