import { z } from 'zod';

/**
 * A model's rollout settings as the app and the CLI take them (browser-safe; db/rollout-schema.ts
 * keeps the same names and bounds as its constraints).
 */
export const ROLLOUT_MODES = ['none', 'shadow', 'canary'] as const;
export const rolloutModeSchema = z.enum(ROLLOUT_MODES, {
  error: 'mode must be none, shadow or canary',
});
export const CANARY_PERCENT_RANGE = { min: 1, max: 50 } as const;

export const rolloutSettingsSchema = z.object({
  mode: rolloutModeSchema,
  canaryPercent: z
    .number({ error: 'canaryPercent must be a whole number from 1 to 50' })
    .int('canaryPercent must be a whole number from 1 to 50')
    .min(CANARY_PERCENT_RANGE.min, 'canaryPercent must be at least 1')
    .max(CANARY_PERCENT_RANGE.max, 'canaryPercent must be at most 50: a canary is a minority of traffic'),
  requiresApproval: z.boolean({ error: 'requiresApproval must be true or false' }),
});
export type RolloutSettingsInput = z.infer<typeof rolloutSettingsSchema>;

export const MODE_TITLES: Record<z.infer<typeof rolloutModeSchema>, string> = {
  none: 'Off: production answers every request',
  shadow: 'Shadow: staging scores a copy of every request, logged only',
  canary: 'Canary: staging answers a share of requests',
};
