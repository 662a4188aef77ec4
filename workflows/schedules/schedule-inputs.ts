import { z } from 'zod';
import { scheduleOverlaps } from '../../db/schedules-schema';
import { parameterValuesSchema } from '../../pipeline/parameters';
import { timingSchema } from './timing';

/** A refused input: the message names the field (timing.expression, overlap, …); nothing was changed. */
export class InvalidScheduleError extends Error {
  override name = 'InvalidScheduleError';
}

/** Catch-up window bounds: at least 10 seconds (a restart's gap), at most 7 days. */
export const CATCHUP_MIN_SECONDS = 10;
export const CATCHUP_MAX_SECONDS = 7 * 86_400;

const uuidText = (field: string) => z.uuid({ error: `${field} must be an id (a UUID)` });

export const scheduleOverlapSchema = z.enum(scheduleOverlaps, {
  error: 'must be one of skip, buffer, cancel, allow',
});
/** A backfill's own policy: under "skip" Temporal would drop overlapping backfilled starts. */
export const backfillOverlapSchema = z.enum(['allow', 'buffer'], { error: 'must be allow or buffer' });

/** Parameter values by name, as stored in schedules.parameters (checked against the pipeline on save). */
export const scheduleParametersSchema = parameterValuesSchema;

const nameSchema = z
  .string({ error: 'must be text' })
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters');
const descriptionSchema = z.string({ error: 'must be text' }).max(1_000, 'must be at most 1000 characters');
const noteSchema = z.string({ error: 'must be text' }).max(500, 'must be at most 500 characters');
const catchupSchema = z
  .number({ error: 'must be a number of seconds' })
  .int('must be a whole number of seconds')
  .min(CATCHUP_MIN_SECONDS, `must be at least ${CATCHUP_MIN_SECONDS} seconds`)
  .max(CATCHUP_MAX_SECONDS, 'must be at most 7 days');

export const createScheduleSchema = z.object({
  pipelineId: uuidText('pipelineId'),
  /** Defaults to the timing in words. */
  name: nameSchema.optional(),
  description: descriptionSchema.default(''),
  timing: timingSchema,
  parameters: scheduleParametersSchema.default({}),
  /** Null: the latest saved version when it fires. */
  pipelineVersionId: uuidText('pipelineVersionId').nullable().default(null),
  overlap: scheduleOverlapSchema.default('skip'),
  /** Unset: the time between two firings, at most a day (timing.ts defaultCatchupSeconds). */
  catchupWindowSeconds: catchupSchema.optional(),
  paused: z.boolean({ error: 'must be true or false' }).default(false),
  note: noteSchema.default(''),
});
export type CreateScheduleInput = z.input<typeof createScheduleSchema>;

export const updateScheduleSchema = z.object({
  name: nameSchema.optional(),
  description: descriptionSchema.optional(),
  timing: timingSchema.optional(),
  parameters: scheduleParametersSchema.optional(),
  pipelineVersionId: uuidText('pipelineVersionId').nullable().optional(),
  overlap: scheduleOverlapSchema.optional(),
  catchupWindowSeconds: catchupSchema.optional(),
});
export type UpdateScheduleInput = z.input<typeof updateScheduleSchema>;

export const noteInputSchema = noteSchema.default('');

export const backfillSchema = z
  .object({
    from: z.coerce.date({ error: 'must be a date and time (ISO 8601)' }),
    to: z.coerce.date({ error: 'must be a date and time (ISO 8601)' }),
    overlap: backfillOverlapSchema.default('allow'),
  })
  .refine((range) => range.from < range.to, { path: ['to'], message: 'must be after from' })
  .refine((range) => range.to.getTime() <= Date.now() + 60_000, {
    path: ['to'],
    message: 'must not be in the future',
  });
export type BackfillInput = z.input<typeof backfillSchema>;

export const scheduleIdSchema = uuidText('scheduleId');
export const pipelineIdSchema = uuidText('pipelineId');

/**
 * Parses or throws InvalidScheduleError whose message names each refused field, under `prefix`
 * when the value is one field of something larger (the CLI's --overlap).
 */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, prefix?: string): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new InvalidScheduleError(
    parsed.error.issues
      .map((issue) => {
        const field = [...(prefix ? [prefix] : []), ...issue.path.map(String)].join('.');
        return field && !issue.message.startsWith(field) ? `${field} ${issue.message}` : issue.message;
      })
      .join('; '),
  );
}
