import { z } from 'zod';
import { listPromotionRequests, type PromotionRequestRow } from '../../../db/queries/promotion-requests';
import { findAliasedVersion } from '../../../db/queries/registry';
import { findRolloutSettings } from '../../../db/queries/rollout';
import { compareRollout } from '../../../db/queries/rollout-compare';
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

/** The windows the side-by-side view offers, in milliseconds. */
const COMPARE_WINDOWS = {
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
} as const;
const compareWindowSchema = z.enum(['1h', '24h', '7d', '30d'], {
  error: 'window must be 1h, 24h, 7d or 30d',
});

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
    // The CLI has no account: its OS user is the id, and there is no address.
    requestedBy: row.requestedByEmail ?? row.requestedById ?? 'someone',
    requestedByKind: row.requestedByKind,
    requestedById: row.requestedById,
    reason: row.reason,
    decidedAt: row.decidedAt,
    decidedBy: row.decidedByEmail ?? row.decidedById,
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

  /**
   * Production's and staging's versions side by side over a window ending now: requests, latency
   * p50 and p95, accuracy (or mean absolute error) on the feedback so far, and the agreement of
   * staging's shadow answers with production's.
   */
  compare: procedure('read')
    .input(nameInput.extend({ window: compareWindowSchema.default('24h') }))
    .query(async ({ ctx, input }) => {
      const { sql } = ctx.services;
      const model = await requireModel(sql, input.name);
      const [production, staging] = await Promise.all([
        findAliasedVersion(sql, model.id, 'production'),
        findAliasedVersion(sql, model.id, 'staging'),
      ]);
      const to = new Date();
      const from = new Date(to.getTime() - COMPARE_WINDOWS[input.window]);
      const task = production?.task ?? staging?.task ?? 'classification';
      const figures = await compareRollout(sql, {
        modelId: model.id,
        from,
        to,
        task,
        production: production?.version ?? null,
        staging: staging?.version ?? null,
      });
      return { window: input.window, from, to, task, ...figures };
    }),

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
