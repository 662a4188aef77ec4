import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { upsertFeedback } from '../db/queries/prediction-feedback';
import type { PredictionRecord } from '../serving/contracts';
import { createPredictionLog } from '../serving/prediction-log';
import { type OwnPostgres, startOwnPostgres } from './support/own-postgres';

// This file stops PostgreSQL, so it runs one of its own (the shared test server stays up).
let server: OwnPostgres;
let sql: postgres.Sql;
/** Every statement the log's connection pool sends, as postgres.js's debug hook sees it. */
const statements: string[] = [];

beforeAll(async () => {
  server = await startOwnPostgres();
  sql = postgres(server.url, {
    max: 2,
    connect_timeout: 5,
    onnotice: () => {},
    debug: (_connection, query) => statements.push(query),
  });
}, 120_000);

afterAll(async () => {
  await sql?.end({ timeout: 1 });
  await server?.remove();
});

const modelA = randomUUID();
const modelB = randomUUID();

function records(count: number, modelId = modelA, at = new Date()): PredictionRecord[] {
  const requestId = randomUUID();
  return Array.from({ length: count }, (_, index) => ({
    predictionId: randomUUID(),
    requestId,
    modelId,
    version: 2,
    at,
    latencyMs: 0.25 + index,
    inputs: [40 + index, 'pro', 'it\'s "quoted"'],
    outputs: { label: 'yes', probabilities: { yes: 0.75, no: 0.25 } },
  }));
}

async function loggedCount(modelId?: string): Promise<number> {
  const [row] = await sql<{ count: number }[]>`
    select count(*)::int as count from prediction_log
    where ${modelId === undefined ? sql`true` : sql`model_id = ${modelId}`}`;
  return row?.count ?? -1;
}

const inserts = () =>
  statements.filter((statement) => /(insert into|copy) prediction_log/.test(statement)).length;

describe('the prediction log', () => {
  it('bounds its queue in bytes as well as records: large records beyond it are dropped and counted', async () => {
    const log = createPredictionLog({
      sql,
      retentionDays: 0,
      flushMs: 60_000,
      batchSize: 10_000,
      capacityBytes: 1024 * 1024,
    });
    try {
      const large = records(20).map((each) => ({ ...each, inputs: ['x'.repeat(200_000)] }));
      log.record(large);
      // Five records of about 200 kB fit in 1 MiB; the other fifteen do not.
      expect(log.depth()).toBe(5);
      expect(log.dropped()).toBe(15);
      // Small records still fit beside them.
      log.record(records(3));
      expect(log.depth()).toBe(8);
    } finally {
      await log.close();
    }
  });

  it('queues records without waiting and writes them in multi-row batches', async () => {
    await sql`delete from prediction_log`;
    const log = createPredictionLog({ sql, retentionDays: 0, batchSize: 500, flushMs: 60_000 });
    const before = inserts();
    const first = records(1200);
    log.record(first.slice(0, 450));
    log.record(first.slice(450));
    // Nothing is written on the caller's turn: the records wait in the queue.
    expect(log.depth()).toBe(1200);
    await log.flush();
    expect(log.depth()).toBe(0);
    expect(log.written()).toBe(1200);
    expect(log.dropped()).toBe(0);
    expect(await loggedCount()).toBe(1200);
    // 1,200 records in three statements (500 + 500 + 200), not 1,200.
    expect(inserts() - before).toBe(3);

    const [stored] = await sql<{ inputs: unknown; outputs: unknown; version: number; latency: number }[]>`
      select inputs, outputs, version, latency_ms as latency from prediction_log
      where prediction_id = ${first[3]?.predictionId ?? ''}`;
    expect(stored).toEqual({
      inputs: [43, 'pro', 'it\'s "quoted"'],
      outputs: { label: 'yes', probabilities: { yes: 0.75, no: 0.25 } },
      version: 2,
      latency: 3.25,
    });
    await log.close();
  });

  it('between timer ticks writes only full batches: the rest waits for the tick, not a statement of its own', async () => {
    await sql`delete from prediction_log`;
    const log = createPredictionLog({ sql, retentionDays: 0, batchSize: 100, flushMs: 60_000 });
    const before = inserts();
    log.record(records(250));
    // The full batches go out at once, without waiting for the timer.
    await expect.poll(() => log.written()).toBe(200);
    expect(log.depth()).toBe(50);
    expect(inserts() - before).toBe(2);
    await log.flush();
    expect([log.written(), log.depth(), inserts() - before]).toEqual([250, 0, 3]);
    await log.close();
  });

  it('writes on its timer, and a record PostgreSQL refuses costs only itself', async () => {
    await sql`delete from prediction_log`;
    const reports: string[] = [];
    const log = createPredictionLog({
      sql,
      retentionDays: 0,
      flushMs: 20,
      report: (line) => reports.push(line),
    });
    const batch = records(5);
    const bad = batch[2];
    if (!bad) throw new Error('no record');
    // A version beyond PostgreSQL's integer (a NUL is left out instead).
    bad.version = 2 ** 40;
    const nulInValue = batch[3];
    if (!nulInValue) throw new Error('no record');
    nulInValue.inputs = ['a\u0000b'];
    log.record(batch);
    await vi.waitFor(() => expect(log.depth()).toBe(0), { timeout: 10_000, interval: 20 });
    expect(await loggedCount()).toBe(4);
    expect(log.dropped()).toBe(1);
    expect(log.written()).toBe(4);
    const [kept] = await sql<{ inputs: unknown }[]>`
      select inputs from prediction_log where prediction_id = ${nulInValue.predictionId}`;
    expect(kept?.inputs).toEqual(['ab']);
    expect(reports).toEqual([
      `Prediction log: dropped prediction ${bad.predictionId}: PostgreSQL refused it (22003).`,
    ]);
    await log.close();
  });

  it('keeps serving while PostgreSQL is down, drops what does not fit and counts it, and resumes when it is back', async () => {
    await sql`delete from prediction_log`;
    const reports: string[] = [];
    const log = createPredictionLog({
      sql,
      retentionDays: 0,
      capacity: 100,
      batchSize: 40,
      flushMs: 50,
      maxRetryMs: 200,
      report: (line) => reports.push(line),
    });
    log.record(records(10));
    await log.flush();
    expect(await loggedCount()).toBe(10);

    await server.stop();
    // The caller never waits and nothing throws, with or without room in the queue.
    expect(() => log.record(records(70))).not.toThrow();
    await expect(log.flush()).resolves.toBeUndefined();
    expect(log.depth()).toBe(70);
    expect(log.dropped()).toBe(0);
    expect(() => log.record(records(50))).not.toThrow();
    expect(log.depth()).toBe(100);
    expect(log.dropped()).toBe(20);
    expect(reports).toEqual([
      'Prediction log: PostgreSQL is unavailable; serving goes on, up to 100 records wait and the rest are dropped.',
    ]);

    await server.start();
    // The timer retries on its own; wait until the queue has drained.
    await vi.waitFor(() => expect(log.depth()).toBe(0), { timeout: 30_000, interval: 50 });
    expect(await loggedCount()).toBe(110);
    expect(log.dropped()).toBe(20);
    expect(reports.at(-1)).toBe(
      'Prediction log: writing again; 20 records were dropped while PostgreSQL was unavailable.',
    );
    log.record(records(3));
    await log.flush();
    expect(await loggedCount()).toBe(113);
    await log.close();
  }, 120_000);

  it('close writes what is queued and counts as dropped what it could not write', async () => {
    await sql`delete from prediction_log`;
    const log = createPredictionLog({ sql, retentionDays: 0, flushMs: 60_000 });
    log.record(records(7));
    await log.close();
    expect(await loggedCount()).toBe(7);
    log.record(records(2));
    expect(log.dropped()).toBe(2);
    expect(log.depth()).toBe(0);
  });

  it('the retention sweep deletes records older than the retention period, and only those', async () => {
    await sql`delete from prediction_log`;
    const day = 24 * 60 * 60 * 1000;
    const now = Date.now();
    const writer = createPredictionLog({ sql, retentionDays: 0, flushMs: 60_000 });
    const old = records(7, modelA, new Date(now - 31 * day));
    const recent = records(4, modelA, new Date(now - 29 * day));
    writer.record(old);
    writer.record(recent);
    writer.record(records(5, modelB, new Date(now - 400 * day)));
    writer.record(records(2, modelB, new Date(now - 60 * 1000)));
    await writer.close();
    expect(await loggedCount()).toBe(18);
    // Retention 0 keeps everything forever.
    expect(await writer.sweep()).toBe(0);
    expect(await loggedCount()).toBe(18);

    // Feedback on an old and a recent prediction: the old one's label goes with its record.
    const labelled = [old[0]?.predictionId ?? '', recent[0]?.predictionId ?? ''];
    await upsertFeedback(sql, {
      modelId: modelA,
      keyId: null,
      rows: labelled.map((predictionId) => ({ predictionId, label: 'yes' })),
    });

    const before = statements.length;
    const log = createPredictionLog({ sql, retentionDays: 30, sweepBatch: 3, firstSweepMs: 60_000 });
    expect(await log.sweep()).toBe(12);
    const labelsLeft = await sql<{ id: string }[]>`
      select prediction_id as id from prediction_feedback where prediction_id = any(${labelled}::uuid[])`;
    expect(labelsLeft.map((row) => row.id)).toEqual([labelled[1]]);
    expect(await loggedCount(modelA)).toBe(4);
    expect(await loggedCount(modelB)).toBe(2);
    const [oldest] = await sql<{ at: Date }[]>`select min(at) as at from prediction_log`;
    expect(oldest?.at.getTime()).toBeGreaterThan(now - 30 * day);
    // Bounded batches: at most 3 rows per delete, so model A's 7 old rows took 3 statements.
    const deletes = statements
      .slice(before)
      .filter((statement) => /delete from prediction_log/.test(statement));
    expect(deletes.length).toBe(3 + 2);
    expect(await log.sweep()).toBe(0);
    await log.close();
  });
});
