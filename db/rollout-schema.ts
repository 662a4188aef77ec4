import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { ledgerActorKinds, registeredModels } from './registry-schema';

/**
 * Safe rollout of a model: how its `staging` version takes part in production traffic (shadow or
 * canary), and promotions to production that wait for an operator's approval. Changes to a model's
 * settings NOTIFY `pipewright_models` (trigger in migration 0018), as alias changes do, so every
 * serving process picks them up at commit.
 */

const time = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/** none: production answers everything; shadow: staging also scores every request, logged only; canary: staging answers a share. */
export const rolloutModes = ['none', 'shadow', 'canary'] as const;
export type RolloutMode = (typeof rolloutModes)[number];
export const MIN_CANARY_PERCENT = 1;
export const MAX_CANARY_PERCENT = 50;

export const modelRollout = pgTable(
  'model_rollout',
  {
    modelId: uuid('model_id')
      .primaryKey()
      .references(() => registeredModels.id, { onDelete: 'cascade' }),
    mode: text('mode', { enum: rolloutModes }).notNull().default('none'),
    canaryPercent: integer('canary_percent').notNull().default(10),
    /** A promotion to production waits in promotion_requests for an operator's approval. */
    requiresApproval: boolean('requires_approval').notNull().default(false),
    updatedAt: time('updated_at').notNull().defaultNow(),
    /** The account that changed them last: a plain record (as the audit log keeps), no foreign key. */
    updatedBy: text('updated_by'),
  },
  (table) => [
    check('model_rollout_mode_valid', sql`${table.mode} in ('none', 'shadow', 'canary')`),
    check(
      'model_rollout_canary_percent_range',
      sql.raw(`canary_percent between ${MIN_CANARY_PERCENT} and ${MAX_CANARY_PERCENT}`),
    ),
  ],
);

export const promotionRequestStatuses = ['pending', 'approved', 'rejected'] as const;
export type PromotionRequestStatus = (typeof promotionRequestStatuses)[number];

/**
 * A promotion to production asked for while the model requires approval: who asked (a person, the
 * CLI, or a run acting for its person), for which version and why; then who decided, and why. The
 * decision is written to the promotion ledger as well (kind promote or reject).
 */
export const promotionRequests = pgTable(
  'promotion_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    modelId: uuid('model_id')
      .notNull()
      .references(() => registeredModels.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    /** Production's version when it was asked (null: none). */
    fromVersion: integer('from_version'),
    status: text('status', { enum: promotionRequestStatuses }).notNull().default('pending'),
    requestedAt: time('requested_at').notNull().defaultNow(),
    requestedByKind: text('requested_by_kind', { enum: ledgerActorKinds }).notNull(),
    requestedById: text('requested_by_id'),
    requestedByEmail: text('requested_by_email'),
    runId: uuid('run_id'),
    reason: text('reason').notNull().default(''),
    decidedAt: time('decided_at'),
    decidedById: text('decided_by_id'),
    decidedByEmail: text('decided_by_email'),
    decisionReason: text('decision_reason'),
  },
  (table) => [
    // One pending request per version: asking again finds the first.
    uniqueIndex('promotion_requests_pending_key')
      .on(table.modelId, table.version)
      .where(sql`${table.status} = 'pending'`),
    index('promotion_requests_model_idx').on(table.modelId, table.requestedAt.desc()),
    check('promotion_requests_status_valid', sql`${table.status} in ('pending', 'approved', 'rejected')`),
  ],
);
