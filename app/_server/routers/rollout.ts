import { z } from 'zod';
import { listPromotionRequests, type PromotionRequestRow } from '../../../db/queries/promotion-requests';
import { findRolloutSettings } from '../../../db/queries/rollout';
import { rolloutSettingsSchema } from '../../../registry/rollout-schema';
import { modelNameSchema } from '../../../registry/version-schema';
import { decidePromotion } from '../../../runtime/models/approval';
import { type PromotionActor, requireModel } from '../../../runtime/models/promotion';
import { changeRolloutSettings } from '../../../runtime/models/rollout-settings';
import type { Actor } from '../auth/actor';
import { auditActor } from '../auth/audit-actor';
import { procedure, router } from '../trpc';

/**
 * Safe rollout of a model on its Rollout tab: the settings (shadow or canary traffic for staging,
 * approval for production), and promotions waiting for approval with their decision. Reading is
 * for everyone who reads models; changing settings and deciding needs the promote permission.
 */

const nameInput = z.object({ name: modelNameSchema });

function actorOf(actor: Actor, ipAddress: string | null): PromotionActor {
  return {
    ledger: { actorKind: actor.kind, actorId: actor.userId, actorEmail: actor.email },
    audit: auditActor(actor, ipAddress),
  };
}

function requestItem(row: PromotionRequestRow) {
  return {
    id: row.id,
    version: row.version,
    fromVersion: row.fromVersion,
    status: row.status,
    requestedAt: row.requestedAt,
    requestedBy: row.requestedByEmail ?? 'someone',
    requestedByKind: row.requestedByKind,
    requestedById: row.requestedById,
    reason: row.reason,
    decidedAt: row.decidedAt,
    decidedBy: row.decidedByEmail,
    decisionReason: row.decisionReason,
  };
}

export const rolloutRouter = router({
  /** The model's settings (defaults when never set). */
  settings: procedure('read')
    .input(nameInput)
    .query(async ({ ctx, input }) => {
      const model = await requireModel(ctx.services.sql, input.name);
      return findRolloutSettings(ctx.services.sql, model.id);
    }),

  /** Changes the settings; serving processes pick them up at commit. */
  saveSettings: procedure('promote')
    .input(nameInput.extend({ settings: rolloutSettingsSchema }))
    .mutation(({ ctx, input }) =>
      changeRolloutSettings(
        { sql: ctx.services.sql, db: ctx.services.db },
        { model: input.name, settings: input.settings },
        actorOf(ctx.actor, ctx.ipAddress),
      ),
    ),

  /** Promotions to production waiting for approval (oldest first), then the latest decided ones. */
  requests: procedure('read')
    .input(nameInput)
    .query(async ({ ctx, input }) => {
      const model = await requireModel(ctx.services.sql, input.name);
      const rows = await listPromotionRequests(ctx.services.sql, model.id);
      return rows.map(requestItem);
    }),

  /** Approves (moves production) or rejects (a reason is required) a pending promotion. */
  decide: procedure('promote')
    .input(
      nameInput.extend({
        requestId: z.string().uuid('requestId must be a promotion request id'),
        decision: z.enum(['approve', 'reject'], { error: 'decision must be approve or reject' }),
        reason: z.string().max(500, 'A reason has at most 500 characters'),
      }),
    )
    .mutation(({ ctx, input }) =>
      decidePromotion(
        { sql: ctx.services.sql, db: ctx.services.db },
        { model: input.name, requestId: input.requestId, decision: input.decision, reason: input.reason },
        actorOf(ctx.actor, ctx.ipAddress),
      ),
    ),
});
