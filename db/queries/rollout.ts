import type { Sql } from '../client';
import type { RolloutMode } from '../rollout-schema';

/** A model's rollout settings (db/rollout-schema.ts); a model without a row has the defaults. */
export interface RolloutSettings {
  mode: RolloutMode;
  canaryPercent: number;
  requiresApproval: boolean;
}

export const DEFAULT_ROLLOUT: RolloutSettings = { mode: 'none', canaryPercent: 10, requiresApproval: false };

export async function findRolloutSettings(sql: Sql, modelId: string): Promise<RolloutSettings> {
  const [row] = await sql<RolloutSettings[]>`
    select mode, canary_percent as "canaryPercent", requires_approval as "requiresApproval"
    from model_rollout where model_id = ${modelId}`;
  return row ?? DEFAULT_ROLLOUT;
}

/** Stores a model's settings; the table's trigger tells every serving process at commit. */
export async function saveRolloutSettings(
  sql: Sql,
  modelId: string,
  settings: RolloutSettings,
  userId: string | null,
): Promise<void> {
  await sql`
    insert into model_rollout (model_id, mode, canary_percent, requires_approval, updated_by)
    values (${modelId}, ${settings.mode}, ${settings.canaryPercent}, ${settings.requiresApproval}, ${userId})
    on conflict (model_id) do update set mode = excluded.mode, canary_percent = excluded.canary_percent,
      requires_approval = excluded.requires_approval, updated_by = excluded.updated_by, updated_at = now()`;
}
