import { z } from 'zod';
import {
  countModelChecks,
  countModelOpenAlerts,
  countOpenAlerts,
  listAlertsWithRuns,
  listChecksInRange,
  listModelsWithOpenAlerts,
  type StoredCheck,
} from '../../../db/queries/monitoring-history';
import { driftStateSchema } from '../../../ml/drift/drift-schemas';
import {
  featureCheckSchema,
  modelStatsSchema,
  performanceSchema,
} from '../../../nodes/monitor-drift/report-schema';
import { modelNameSchema } from '../../../registry/version-schema';
import { requireModel } from '../../../runtime/models/promotion';
import { procedure, router } from '../trpc';

/**
 * A model's monitoring for the Monitoring tab: its checks over a time range (per-feature drift,
 * volume, latency, performance on feedback), its alerts with the retraining runs they started, and
 * the open alerts counted for the navigation's badge and the Models list. The checks' jsonb is
 * parsed with the drift report's schemas: a row an older monitor wrote in another shape shows its
 * features as unknown (or none), never fails the page.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
/** The range the tab shows unless asked for another. */
const DEFAULT_RANGE_DAYS = 30;
/** At most this many checks per answer: a heat map column each, so a busy monitor is not sent whole. */
const MAX_CHECKS = 500;
const MAX_ALERTS = 200;

const checksInput = z
  .object({
    name: modelNameSchema,
    /** Checks made at or after this time; 30 days before `to` unless given. */
    from: z.date({ error: 'from must be a date' }).optional(),
    /** Checks made before this time; now unless given. */
    to: z.date({ error: 'to must be a date' }).optional(),
    /** The newest this many checks of the range. */
    limit: z
      .number()
      .int()
      .min(1, `limit is 1 to ${MAX_CHECKS}`)
      .max(MAX_CHECKS, `limit is 1 to ${MAX_CHECKS}`)
      .default(200),
  })
  .refine((input) => !input.from || !input.to || input.from < input.to, {
    message: 'from must be before to',
    path: ['from'],
  });

/** A feature's state in one check, or unknown when the stored entry is not one this app can read. */
const cellStateSchema = z.union([driftStateSchema, z.literal('unknown')]);
export type CellState = z.infer<typeof cellStateSchema>;

export interface FeatureCell {
  feature: string;
  kind: 'numeric' | 'categorical' | null;
  state: CellState;
  psi: number | null;
  /** The KS test's (numbers) or chi-square's (categories) p-value. */
  pValue: number | null;
  jensenShannon: number | null;
  wasserstein: number | null;
  /** Current minus reference missing rate. */
  missingChange: number | null;
  thresholds: { psiWarn: number; psiAlert: number } | null;
}

const namedEntrySchema = z.looseObject({ feature: z.string().min(1) });

/** One stored feature entry as a heat map cell: fully read, named but unreadable (unknown), or dropped. */
function featureCell(stored: unknown): FeatureCell | null {
  const parsed = featureCheckSchema.safeParse(stored);
  if (parsed.success) {
    const drift = parsed.data;
    return {
      feature: drift.feature,
      kind: drift.kind,
      state: drift.state,
      psi: drift.psi,
      pValue: drift.kind === 'numeric' ? (drift.ks?.pValue ?? null) : (drift.chiSquare?.pValue ?? null),
      jensenShannon: drift.jensenShannon,
      wasserstein: drift.kind === 'numeric' ? drift.wasserstein : null,
      missingChange: drift.missing.change,
      thresholds: drift.thresholds,
    };
  }
  const named = namedEntrySchema.safeParse(stored);
  if (!named.success) return null;
  return {
    feature: named.data.feature,
    kind: null,
    state: 'unknown',
    psi: null,
    pValue: null,
    jensenShannon: null,
    wasserstein: null,
    missingChange: null,
    thresholds: null,
  };
}

function featuresOf(stored: unknown): { cells: FeatureCell[]; unreadable: number } {
  const entries = z.array(z.unknown()).safeParse(stored);
  if (!entries.success) return { cells: [], unreadable: 0 };
  const cells = entries.data.flatMap((entry) => featureCell(entry) ?? []);
  return { cells, unreadable: entries.data.length - cells.filter((cell) => cell.state !== 'unknown').length };
}

/** The model stats the charts use; null when the stored value is not readable. */
function statsOf(stored: unknown) {
  const parsed = modelStatsSchema.safeParse(stored);
  if (!parsed.success) return { volume: null, latencyMs: null, predictionDrift: null };
  const { volume, latencyMs, prediction } = parsed.data;
  return {
    volume,
    latencyMs,
    predictionDrift: prediction?.drift ? { psi: prediction.drift.psi, state: prediction.drift.state } : null,
  };
}

/** Performance on feedback, overall and per slice; null when absent or unreadable. */
function performanceOf(stored: unknown) {
  const parsed = performanceSchema.safeParse(stored);
  if (!parsed.success) return null;
  const { task, labelled, checks, state, slices } = parsed.data;
  return { task, labelled, checks, state, slices };
}

function checkView(check: StoredCheck) {
  const features = featuresOf(check.features);
  return {
    id: check.id,
    runId: check.runId,
    createdAt: check.createdAt,
    version: check.version,
    window: check.windowFrom && check.windowTo ? { from: check.windowFrom, to: check.windowTo } : null,
    referenceRows: check.referenceRows,
    currentRows: check.currentRows,
    state: check.state,
    features: features.cells,
    /** Stored feature entries this app could not read (shown as unknown, or left out when unnamed). */
    unreadableFeatures: features.unreadable,
    ...statsOf(check.modelStats),
    performance: performanceOf(check.performance),
  };
}

export type CheckView = ReturnType<typeof checkView>;

const nameInput = z.object({ name: modelNameSchema });

export const monitoringRouter = router({
  /** A model's checks in a time range (default the last 30 days), oldest first, the newest `limit` of them. */
  checks: procedure('read')
    .input(checksInput)
    .query(async ({ ctx, input }) => {
      const model = await requireModel(ctx.services.sql, input.name);
      const to = input.to ?? new Date();
      const from = input.from ?? new Date(to.getTime() - DEFAULT_RANGE_DAYS * DAY_MS);
      const [checks, total] = await Promise.all([
        listChecksInRange(ctx.services.sql, model.id, { from, to, limit: input.limit }),
        countModelChecks(ctx.services.sql, model.id),
      ]);
      return { from, to, checks: checks.map(checkView), totalChecks: total };
    }),

  /** A model's alerts, open ones first, each with its monitoring pipeline and retraining run. */
  alerts: procedure('read')
    .input(
      nameInput.extend({
        limit: z
          .number()
          .int()
          .min(1, `limit is 1 to ${MAX_ALERTS}`)
          .max(MAX_ALERTS, `limit is 1 to ${MAX_ALERTS}`)
          .default(50),
      }),
    )
    .query(async ({ ctx, input }) => {
      const model = await requireModel(ctx.services.sql, input.name);
      const [alerts, open] = await Promise.all([
        listAlertsWithRuns(ctx.services.sql, model.id, input.limit),
        countModelOpenAlerts(ctx.services.sql, model.id),
      ]);
      return { alerts, open };
    }),

  /** Open alerts over every model, for the navigation's badge. */
  openCount: procedure('read').query(({ ctx }) => countOpenAlerts(ctx.services.sql)),

  /** The models with open alerts and their counts, for the Models list. */
  openByModel: procedure('read').query(async ({ ctx }) =>
    (await listModelsWithOpenAlerts(ctx.services.sql)).map(({ name, alert, warn }) => ({
      name,
      alert,
      warn,
    })),
  ),
});
