/**
 * Safe rollout in the real serving process (`npm run serve`) against a real PostgreSQL: shadow
 * (production answers, staging's answers logged with the same request id and the production
 * prediction each shadows, never returned; monitoring leaves them out), canary (a share of requests
 * answered by staging, within a binomial bound, sticky by X-Request-Id), and back to production
 * only when the rollout is turned off. Settings reach the process by NOTIFY, as alias changes do.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readLoggedColumns } from '../db/queries/logged-columns';
import { saveRolloutSettings } from '../db/queries/rollout';
import type { Auth } from '../runtime/auth/auth';
import { createTestDatabase, type TestDatabase } from './support/database';
import { NodeHarness } from './support/node-harness';
import { registerTestModel, type TrainedModel, trainTestModel } from './support/registered-model';
import { testAuth } from './support/services';
import { type ServingProcess, startServingProcess } from './support/serving-process';

const harness = new NodeHarness();
let model: TrainedModel;
let database: TestDatabase;
let serving: ServingProcess;
let key: string;
let modelId: string;

const rows = [
  { size: 30, weight: 20, colour: 'red' },
  { size: 5, weight: 2, colour: 'blue' },
  { size: 44, weight: 39, colour: 'green' },
];

const answerSchema = z.object({
  version: z.number(),
  requestId: z.string(),
  predictions: z.array(
    z.object({ id: z.string(), label: z.string(), probabilities: z.record(z.string(), z.number()) }),
  ),
});
type Answer = z.infer<typeof answerSchema>;

async function predict(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${serving.url}/api/v1/models/rollout/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return { answer: answerSchema.parse(await response.json()), alias: response.headers.get('x-model-alias') };
}

const setMode = (mode: 'none' | 'shadow' | 'canary', canaryPercent = 10) =>
  saveRolloutSettings(database.sql, modelId, { mode, canaryPercent, requiresApproval: false }, null);

beforeAll(async () => {
  model = await trainTestModel(harness);
  database = await createTestDatabase();
  const auth: Auth = testAuth(database.db);
  // Version 1 in production, version 2 (the same graph, another number) in staging.
  ({ modelId } = await registerTestModel(database.sql, { name: 'rollout', model, alias: 'production' }));
  await registerTestModel(database.sql, { name: 'rollout', model, alias: 'staging' });
  const { user } = await auth.api.createUser({
    body: {
      email: `rollout-${randomBytes(4).toString('hex')}@serving.test`,
      password: 'a long enough password',
      name: 'rollout',
      role: 'viewer',
    },
  });
  key = (
    await auth.api.createApiKey({
      body: { userId: user.id, name: 'rollout', metadata: { scope: 'predict' } },
    })
  ).key;
  serving = await startServingProcess(database.url);
}, 180_000);

afterAll(async () => {
  await serving?.stop();
  await database?.drop();
  harness.cleanup();
});

interface LogRow {
  predictionId: string;
  requestId: string;
  version: number;
  role: string;
  shadowOf: string | null;
  outputs: { label: string };
}

const logRowsOf = (requestIds: string[]) => database.sql<LogRow[]>`
  select prediction_id as "predictionId", request_id as "requestId", version, role, shadow_of as "shadowOf", outputs
  from prediction_log where request_id = any(${requestIds}) order by request_id, role`;

describe('rollout in the serving process', () => {
  it('shadow: production answers; staging answers each row, logged with the request id, never returned; monitoring leaves them out', async () => {
    const from = new Date();
    await setMode('shadow');
    // Once the process has the setting, a request's copy is scored: wait for the first shadow row.
    await expect
      .poll(
        async () => {
          const { answer } = await predict({ rows: [rows[0]] });
          const [row] = await database.sql<{ count: number }[]>`
            select count(*)::int as count from prediction_log where role = 'shadow'`;
          return { answered: answer.version, shadows: (row?.count ?? 0) > 0 };
        },
        { timeout: 10_000, interval: 50 },
      )
      .toEqual({ answered: 1, shadows: true });

    const answers: Answer[] = [];
    for (let request = 0; request < 5; request++) {
      const { answer, alias } = await predict({ rows });
      expect(alias).toBe('production');
      answers.push(answer);
    }
    for (const answer of answers) {
      // The client sees production's answer only: version 1, one prediction per row sent.
      expect(answer.version).toBe(1);
      expect(answer.predictions).toHaveLength(rows.length);
      expect(JSON.stringify(answer)).not.toContain('shadow');
    }
    const requestIds = answers.map((answer) => answer.requestId);
    await expect
      .poll(async () => (await logRowsOf(requestIds)).length, { timeout: 10_000, interval: 50 })
      .toBe(5 * rows.length * 2);
    const logged = await logRowsOf(requestIds);
    for (const answer of answers) {
      const ofRequest = logged.filter((row) => row.requestId === answer.requestId);
      const production = ofRequest.filter((row) => row.role === 'production');
      const shadow = ofRequest.filter((row) => row.role === 'shadow');
      expect(production.map((row) => row.predictionId).sort()).toEqual(
        answer.predictions.map((prediction) => prediction.id).sort(),
      );
      expect(production.every((row) => row.version === 1 && row.shadowOf === null)).toBe(true);
      expect(shadow).toHaveLength(rows.length);
      // Each shadow row names the production answer to the same row; same graph, same label.
      for (const prediction of answer.predictions) {
        const pair = shadow.find((row) => row.shadowOf === prediction.id);
        expect(pair).toMatchObject({ version: 2, outputs: { label: prediction.label } });
      }
      // Shadow answers are not ids any client was given.
      expect(shadow.some((row) => answer.predictions.some((p) => p.id === row.predictionId))).toBe(false);
    }

    // Monitoring reads the window's production answers only, though both versions share a signature.
    const [counts] = await database.sql<{ production: number; shadow: number }[]>`
      select count(*) filter (where role = 'production')::int as production,
        count(*) filter (where role = 'shadow')::int as shadow
      from prediction_log where model_id = ${modelId} and at >= ${from.toISOString()}::timestamptz`;
    expect(counts?.shadow).toBeGreaterThanOrEqual(15);
    const read = await readLoggedColumns(database.sql, {
      modelId,
      from,
      to: new Date(Date.now() + 1000),
      signature: {
        inputs: model.signature.inputs.map(({ name, type }) => ({ name, type })),
        task: 'classification',
      },
    });
    expect(read.versions).toEqual([1, 2]);
    expect(read.rows).toBe(counts?.production);

    const metrics = await (await fetch(`${serving.url}/metrics`)).text();
    const scored = /pipewright_shadow_requests_total\{outcome="scored"\} (\d+)/.exec(metrics);
    expect(Number(scored?.[1])).toBeGreaterThanOrEqual(5);
  });

  it('canary: about the chosen share of requests is answered by staging, which the answer names; sticky by X-Request-Id', async () => {
    await setMode('canary', 30);
    await expect
      .poll(async () => (await predict({ rows: [rows[0]] })).alias, { timeout: 10_000, interval: 20 })
      .toBe('staging');
    const total = 1000;
    const seen = { staging: 0, production: 0 };
    const requestIds: string[] = [];
    const stagingIds: string[] = [];
    for (let start = 0; start < total; start += 10) {
      const batch = await Promise.all(Array.from({ length: 10 }, () => predict({ rows: [rows[1]] })));
      for (const { answer, alias } of batch) {
        // The answer says which version answered; the header says which alias.
        expect(alias === 'staging' ? 2 : 1).toBe(answer.version);
        seen[alias === 'staging' ? 'staging' : 'production'] += 1;
        requestIds.push(answer.requestId);
        if (alias === 'staging') stagingIds.push(answer.requestId);
      }
    }
    const share = seen.staging / total;
    // Binomial(1000, 0.3): standard deviation 1.45 points; 24-36 % is more than four of them.
    expect(share).toBeGreaterThan(0.24);
    expect(share).toBeLessThan(0.36);
    // The log records the canary answers as such, under version 2.
    await expect
      .poll(
        async () => {
          const [row] = await database.sql<{ canary: number; staging: number }[]>`
            select count(*) filter (where role = 'canary')::int as canary,
              count(*) filter (where version = 2 and role = 'canary' and request_id = any(${stagingIds}))::int as staging
            from prediction_log where request_id = any(${requestIds})`;
          return row;
        },
        { timeout: 10_000, interval: 50 },
      )
      .toEqual({ canary: seen.staging, staging: seen.staging });

    // The same X-Request-Id goes to the same version every time.
    for (const id of [randomUUID(), randomUUID(), randomUUID()]) {
      const versions = new Set<number>();
      for (let again = 0; again < 10; again++)
        versions.add((await predict({ rows: [rows[0]] }, { 'x-request-id': id })).answer.version);
      expect(versions.size).toBe(1);
    }
  });

  it('turning the rollout off returns every request to production', async () => {
    await setMode('none');
    // Until the process has the change a canary may still answer; then 300 in a row are production's.
    await expect
      .poll(
        async () => {
          const batch = await Promise.all(Array.from({ length: 30 }, () => predict({ rows: [rows[2]] })));
          return batch.every(({ answer }) => answer.version === 1);
        },
        { timeout: 10_000, interval: 20 },
      )
      .toBe(true);
    const answers = await Promise.all(Array.from({ length: 300 }, () => predict({ rows: [rows[2]] })));
    expect(answers.filter(({ answer }) => answer.version !== 1)).toHaveLength(0);
    expect(answers.every(({ alias }) => alias === 'production')).toBe(true);
    const requestIds = answers.map(({ answer }) => answer.requestId);
    await expect
      .poll(async () => (await logRowsOf(requestIds)).length, { timeout: 10_000, interval: 50 })
      .toBe(300);
    expect((await logRowsOf(requestIds)).every((row) => row.role === 'production')).toBe(true);
  });
});
