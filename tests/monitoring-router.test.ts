/**
 * The monitoring procedures (app/_server/routers/monitoring.ts) against a real PostgreSQL: a model's
 * checks in a time range (order, range, cap), odd stored jsonb read as unknown rather than failing,
 * alerts open first with their retraining run and monitoring pipeline, the open-alert counts, and the
 * refusals (no such model, bad input, no credential).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../app/_server/root';
import type { Services } from '../app/_server/services';
import { createCallerFactory } from '../app/_server/trpc';
import { monitorChecks } from '../db/monitoring-schema';
import { createTestDatabase, type TestDatabase } from './support/database';
import { seedModel } from './support/models';
import {
  SEEDED_ACCURACY,
  SEEDED_PSI,
  type SeededMonitoring,
  seedMonitoring,
} from './support/monitoring-seed';
import { databaseOnlyServices, testActor, testContext } from './support/services';
import { rejection } from './support/trpc-rejection';

const NOW = new Date('2026-12-07T12:00:00.000Z');
const DAY_MS = 24 * 60 * 60 * 1000;

let database: TestDatabase;
let services: Services;
let churn: { id: string; versions: number[] };
let seeded: SeededMonitoring;

beforeAll(async () => {
  database = await createTestDatabase();
  services = databaseOnlyServices(database);
  churn = await seedModel(database.sql, 'churn', [{ metrics: { accuracy: 0.89 } }]);
  await seedModel(database.sql, 'quiet', [{ metrics: { accuracy: 0.7 } }]);
  seeded = await seedMonitoring(database.db, { modelId: churn.id, version: 1, now: NOW });
}, 60_000);

afterAll(async () => {
  await database?.drop();
});

const viewer = () => createCallerFactory(appRouter)(testContext(services, testActor('viewer')));
/** The range that holds the seeded checks: the 30 days before NOW. */
const range = { from: new Date(NOW.getTime() - 30 * DAY_MS), to: NOW };

describe('monitoring.checks', () => {
  it("gives a model's checks oldest first, with each feature's PSI and state, stats and performance", async () => {
    const answer = await viewer().monitoring.checks({ name: 'churn', ...range });
    expect(answer.totalChecks).toBe(12);
    expect(answer.checks.map((check) => check.id)).toEqual(seeded.checkIds);
    const times = answer.checks.map((check) => check.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(
      answer.checks.map((check) => check.features.find((cell) => cell.feature === 'tenure')?.psi),
    ).toEqual(SEEDED_PSI.tenure);
    const last = answer.checks.at(-1);
    expect(last?.features.map((cell) => [cell.feature, cell.state])).toEqual([
      ['tenure', 'alert'],
      ['monthly_charges', 'ok'],
      ['support_calls', 'ok'],
      ['plan', 'ok'],
    ]);
    expect(last?.features[0]).toMatchObject({
      kind: 'numeric',
      thresholds: { psiWarn: 0.1, psiAlert: 0.2 },
      missingChange: 0.002,
    });
    expect(last?.features[3]).toMatchObject({ kind: 'categorical', wasserstein: null });
    expect(last?.unreadableFeatures).toBe(0);
    expect(last?.volume).toEqual({ predictions: 5655, perHour: 5655 / 24 });
    expect(last?.latencyMs?.p99).toBeCloseTo(14.2 + 1.1);
    expect(answer.checks.map((check) => check.performance?.checks[0]?.value)).toEqual(SEEDED_ACCURACY);
    expect(last?.performance).toMatchObject({ labelled: 96, state: 'alert' });
    expect(last?.window?.to.getTime()).toBe(last?.createdAt.getTime());
  });

  it('keeps to the range, and gives the newest `limit` checks of it, still oldest first', async () => {
    const caller = viewer();
    const lastFive = await caller.monitoring.checks({ name: 'churn', ...range, limit: 5 });
    expect(lastFive.checks.map((check) => check.id)).toEqual(seeded.checkIds.slice(7));
    // The first check was made 11 days and 3 hours before NOW: a range from 10 days back leaves out the first two.
    const recent = await caller.monitoring.checks({
      name: 'churn',
      from: new Date(NOW.getTime() - 10 * DAY_MS),
      to: NOW,
    });
    expect(recent.checks.map((check) => check.id)).toEqual(seeded.checkIds.slice(2));
    const before = await caller.monitoring.checks({
      name: 'churn',
      from: new Date(NOW.getTime() - 60 * DAY_MS),
      to: new Date(NOW.getTime() - 40 * DAY_MS),
    });
    expect(before.checks).toEqual([]);
    expect(before.totalChecks).toBe(12);
    // Without a range: the 30 days up to now, which (the seed ending on 7 December 2026) may hold none.
    const defaults = await caller.monitoring.checks({ name: 'churn' });
    expect(defaults.to.getTime() - defaults.from.getTime()).toBe(30 * DAY_MS);
    expect(await caller.monitoring.checks({ name: 'quiet' })).toMatchObject({ checks: [], totalChecks: 0 });
  });

  it('reads an odd stored check as unknown features and no stats, instead of failing', async () => {
    const odd = await seedModel(database.sql, 'odd', [{ metrics: {} }]);
    const at = new Date(NOW.getTime() - DAY_MS);
    await database.db.insert(monitorChecks).values([
      {
        nodeId: 'monitor',
        modelId: odd.id,
        version: 1,
        referenceRows: 10,
        currentRows: 5,
        state: 'warn',
        // A named entry of an older shape, a nameless one, and a number.
        features: [{ feature: 'age', psi: 'high' }, { psi: 0.3 }, 7],
        modelStats: { volume: 'lots' },
        performance: { labelled: -1 },
        createdAt: at,
      },
      {
        nodeId: 'monitor',
        modelId: odd.id,
        version: null,
        referenceRows: 10,
        currentRows: 5,
        state: 'ok',
        features: { not: 'an array' },
        modelStats: [],
        createdAt: new Date(at.getTime() + 1000),
      },
    ]);
    const answer = await viewer().monitoring.checks({ name: 'odd', ...range });
    expect(answer.checks).toHaveLength(2);
    const [first, second] = answer.checks;
    expect(first?.features).toEqual([
      {
        feature: 'age',
        kind: null,
        state: 'unknown',
        psi: null,
        pValue: null,
        jensenShannon: null,
        wasserstein: null,
        missingChange: null,
        thresholds: null,
      },
    ]);
    expect(first?.unreadableFeatures).toBe(3);
    expect(first).toMatchObject({ volume: null, latencyMs: null, predictionDrift: null, performance: null });
    expect(second).toMatchObject({ features: [], unreadableFeatures: 0, volume: null, performance: null });
  });

  it('refuses an unknown model, a reversed range and a limit out of bounds, each in a sentence', async () => {
    const caller = viewer();
    expect(await rejection(caller.monitoring.checks({ name: 'nobody' }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    const reversed = await rejection(caller.monitoring.checks({ name: 'churn', from: NOW, to: range.from }));
    expect(reversed).toMatchObject({ code: 'BAD_REQUEST', message: 'from: from must be before to' });
    const tooMany = await rejection(caller.monitoring.checks({ name: 'churn', limit: 501 }));
    expect(tooMany).toMatchObject({ code: 'BAD_REQUEST', message: 'limit: limit is 1 to 500' });
  });
});

describe('monitoring.alerts and the open counts', () => {
  it('lists open alerts first, each with its monitoring pipeline and the retraining run it started', async () => {
    const { alerts, open } = await viewer().monitoring.alerts({ name: 'churn' });
    expect(open).toEqual({ alert: 2, warn: 1 });
    // Open ones newest first (accuracy opened on day 10, dataset and tenure on day 8), then closed.
    expect(alerts.map((alert) => alert.closedAt === null)).toEqual([true, true, true, false]);
    expect(alerts[0]).toMatchObject({ subject: 'accuracy', kind: 'performance', state: 'alert' });
    // dataset and tenure opened on the same check: either order.
    expect(
      alerts
        .slice(1, 3)
        .map((alert) => `${alert.subject}:${alert.state}`)
        .sort(),
    ).toEqual(['dataset:warn', 'tenure:alert']);
    expect(alerts[3]).toMatchObject({ subject: 'support_calls', state: 'warn' });
    expect(alerts[3]?.closedAt).toEqual(expect.any(Date));
    const tenure = alerts.find((alert) => alert.subject === 'tenure');
    expect(tenure).toMatchObject({
      id: seeded.alertIds.tenure,
      kind: 'drift',
      pipelineId: seeded.monitorPipelineId,
      pipelineName: 'Monitor churn daily',
      nodeId: 'monitor',
      retrain: {
        runId: seeded.retrainRunId,
        pipelineId: seeded.retrainPipelineId,
        pipelineName: 'Retrain churn',
        status: 'succeeded',
      },
    });
    expect(tenure?.openedRunId).toEqual(expect.any(String));
    expect(alerts.find((alert) => alert.subject === 'accuracy')?.retrain).toBeNull();
    expect((await viewer().monitoring.alerts({ name: 'churn', limit: 1 })).alerts).toHaveLength(1);
  });

  it('counts open alerts over every model and per model', async () => {
    const caller = viewer();
    expect(await caller.monitoring.openCount()).toEqual({ alert: 2, warn: 1 });
    expect(await caller.monitoring.openByModel()).toEqual([{ name: 'churn', alert: 2, warn: 1 }]);
    expect(await caller.monitoring.alerts({ name: 'quiet' })).toEqual({
      alerts: [],
      open: { alert: 0, warn: 0 },
    });
  });

  it('answers nobody without a credential, and changes nothing', async () => {
    const anonymous = createCallerFactory(appRouter)(testContext(services, null));
    expect(await rejection(anonymous.monitoring.openCount())).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await rejection(anonymous.monitoring.alerts({ name: 'churn' }))).toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });
});
