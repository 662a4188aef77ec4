/**
 * The Rollout tab's side by side (rollout.compare) against a real PostgreSQL: a seeded prediction
 * log of production answers, canary answers and shadow pairs, with feedback on some of them; the
 * procedure's figures must equal what this test computes from the same rows (request counts,
 * latency p50/p95, accuracy on the feedback, shadow agreement), and a model without traffic gives
 * the empty figures the tab shows as its empty state.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../app/_server/root';
import type { Services } from '../app/_server/services';
import { createCallerFactory } from '../app/_server/trpc';
import { upsertFeedback } from '../db/queries/prediction-feedback';
import { insertPredictionLog, type PredictionLogRow } from '../db/queries/prediction-log';
import { setModelAlias } from '../db/queries/registry';
import { createTestDatabase, type TestDatabase } from './support/database';
import { seedModel } from './support/models';
import { databaseOnlyServices, testActor, testContext } from './support/services';

let database: TestDatabase;
let services: Services;
let modelId: string;

const LABELS = ['stays', 'leaves'] as const;
const viewer = () => createCallerFactory(appRouter)(testContext(services, testActor('viewer')));

/** Deterministic figures: a small linear congruential generator. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

/** PostgreSQL's percentile_cont: linear interpolation between the closest ranks. */
function percentileCont(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = fraction * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] ?? Number.NaN;
  const high = sorted[upper] ?? Number.NaN;
  return low + (high - low) * (position - lower);
}

/** The label a seeded row's outputs hold. */
function labelOf(outputs: unknown): string | undefined {
  if (typeof outputs !== 'object' || outputs === null || !('label' in outputs)) return undefined;
  return typeof outputs.label === 'string' ? outputs.label : undefined;
}

interface Seeded {
  row: PredictionLogRow;
  truth?: string;
}

const seeded: Seeded[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  services = databaseOnlyServices(database);
  const model = await seedModel(database.sql, 'side-by-side', [{ metrics: {} }, { metrics: {} }]);
  modelId = model.id;
  const by = { actorKind: 'user' as const, actorId: 'seed', actorEmail: 'seed@example.test', reason: 'seed' };
  await setModelAlias(database.sql, { modelId, alias: 'production', version: 1, by });
  await setModelAlias(database.sql, { modelId, alias: 'staging', version: 2, by });
  await seedModel(database.sql, 'quiet', [{ metrics: {} }]);

  const random = generator(17);
  const now = Date.now();
  const label = () => LABELS[random() < 0.6 ? 0 : 1] ?? 'stays';
  const log = (fields: Partial<PredictionLogRow> & Pick<PredictionLogRow, 'version'>): PredictionLogRow => ({
    predictionId: randomUUID(),
    requestId: randomUUID(),
    modelId,
    at: new Date(now - Math.floor(random() * 3_000_000)),
    latencyMs: Math.round(random() * 10_000) / 1000,
    inputs: [1, 'basic'],
    outputs: { label: label(), probabilities: {} },
    ...fields,
  });
  // 120 production requests (2 rows each), each shadowed by staging; feedback on a third of the rows.
  for (let request = 0; request < 120; request++) {
    const requestId = randomUUID();
    for (let index = 0; index < 2; index++) {
      const production = log({ version: 1, requestId });
      const truth = random() < 0.33 ? label() : undefined;
      seeded.push({ row: production, truth });
      seeded.push({
        row: log({ version: 2, requestId, role: 'shadow', shadowOf: production.predictionId }),
        truth,
      });
    }
  }
  // 40 canary requests answered by staging, feedback on half.
  for (let request = 0; request < 40; request++)
    seeded.push({ row: log({ version: 2, role: 'canary' }), truth: request % 2 === 0 ? label() : undefined });
  // Outside the 1 h window: left out.
  seeded.push({ row: log({ version: 1, at: new Date(now - 2 * 3_600_000) }) });
  await insertPredictionLog(
    database.sql,
    seeded.map((each) => each.row),
  );
  // Feedback is given on the ids clients got: production's and the canary's (a shadow pair's truth is its production row's).
  await upsertFeedback(database.sql, {
    modelId,
    keyId: null,
    rows: seeded
      .filter((each) => each.truth !== undefined && each.row.role !== 'shadow')
      .map((each) => ({ predictionId: each.row.predictionId, label: each.truth ?? '' })),
  });
}, 60_000);

afterAll(async () => {
  await database?.drop();
});

function expected(rows: Seeded[]) {
  const latencies = rows.map((each) => each.row.latencyMs);
  const labelled = rows.filter((each) => each.truth !== undefined);
  const correct = labelled.filter((each) => labelOf(each.row.outputs) === each.truth);
  return {
    requests: new Set(rows.map((each) => each.row.requestId)).size,
    predictions: rows.length,
    latencyP50Ms: percentileCont(latencies, 0.5),
    latencyP95Ms: percentileCont(latencies, 0.95),
    labelled: labelled.length,
    accuracy: correct.length / labelled.length,
  };
}

describe('rollout.compare', () => {
  it("gives each version's figures and the shadow agreement as computed from the log", async () => {
    const inWindow = seeded.filter((each) => each.row.at.getTime() > Date.now() - 3_600_000);
    const production = inWindow.filter((each) => each.row.version === 1 && each.row.role === undefined);
    const staging = inWindow.filter((each) => each.row.version === 2);
    const answer = await viewer().rollout.compare({ name: 'side-by-side', window: '1h' });
    const want = { production: expected(production), staging: expected(staging) };
    for (const side of ['production', 'staging'] as const) {
      const got = answer[side];
      expect(got?.requests).toBe(want[side].requests);
      expect(got?.predictions).toBe(want[side].predictions);
      expect(got?.labelled).toBe(want[side].labelled);
      expect(got?.accuracy).toBeCloseTo(want[side].accuracy, 10);
      // The log keeps latency as real (single precision).
      expect(got?.latencyP50Ms).toBeCloseTo(want[side].latencyP50Ms, 3);
      expect(got?.latencyP95Ms).toBeCloseTo(want[side].latencyP95Ms, 3);
    }
    expect(answer.production).toMatchObject({
      version: 1,
      requests: 120,
      predictions: 240,
      canary: 0,
      shadow: 0,
    });
    expect(answer.staging).toMatchObject({ version: 2, requests: 160, canary: 40, shadow: 240 });
    const pairs = inWindow.filter((each) => each.row.role === 'shadow');
    const agreeing = pairs.filter((each) => {
      const production = seeded.find((other) => other.row.predictionId === each.row.shadowOf);
      return labelOf(production?.row.outputs) === labelOf(each.row.outputs);
    }).length;
    expect(answer.agreement).toEqual({
      pairs: 240,
      agreeing,
      rate: agreeing / 240,
      meanAbsoluteDifference: null,
    });
    // A sanity check that the figures are not trivially equal: the seeded labels are drawn at random.
    expect(agreeing).toBeGreaterThan(0);
    expect(agreeing).toBeLessThan(240);
  });

  it('gives empty figures for a model without traffic, and none for an alias that points nowhere', async () => {
    const answer = await viewer().rollout.compare({ name: 'quiet', window: '7d' });
    expect(answer.production).toBeNull();
    expect(answer.staging).toBeNull();
    expect(answer.agreement).toBeNull();
    const none = await viewer().rollout.compare({ name: 'side-by-side', window: '1h' });
    expect(none.window).toBe('1h');
  });
});
