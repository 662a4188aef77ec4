import type { Database, Sql } from '../../db/client';
import { recordAudit } from '../../db/queries/audit';
import { type RolloutSettings, saveRolloutSettings } from '../../db/queries/rollout';
import { type PromotionActor, requireModel } from './promotion';

/**
 * Changing a model's rollout settings (shadow or canary traffic for staging, approval for
 * production), with its audit entry. Who may (the promote permission) is the caller's check; the
 * values were checked by the caller's schema and again by the table's constraints.
 */
export async function changeRolloutSettings(
  handles: { sql: Sql; db: Database },
  request: { model: string; settings: RolloutSettings },
  by: PromotionActor,
): Promise<RolloutSettings & { model: string }> {
  const model = await requireModel(handles.sql, request.model);
  await saveRolloutSettings(handles.sql, model.id, request.settings, by.ledger.actorId);
  await recordAudit(handles.db, {
    ...by.audit,
    action: 'model.rollout-changed',
    objectType: 'model',
    objectId: model.id,
    objectLabel: model.name,
    details: { ...by.audit.details, ...request.settings },
  });
  return { model: model.name, ...request.settings };
}
