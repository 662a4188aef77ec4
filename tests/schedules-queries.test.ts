/**
 * The reads behind the schedules list, against PostgreSQL: each schedule's last run (a LATERAL read
 * of runs_schedule_started_idx per schedule) and the pipelines' names and pinned versions' numbers
 * (one query, no graph).
 */
import { and, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipeline, pipelineLabels, saveVersion } from '../db/queries/pipelines';
import { insertSchedule, lastScheduledRuns, lastScheduledRunsQuery } from '../db/queries/schedules';
import { type RunStatus, runs } from '../db/schema';
import { createTestDatabase, type TestDatabase } from './support/database';
import { pipelineDoc } from './support/pipeline-doc';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const graph = pipelineDoc([{ id: 'train', type: 'train' }], []);
const daily = { kind: 'cron', expression: '0 6 * * *', timezone: 'UTC' };

let workflows = 0;

/** Runs of a version written straight into PostgreSQL, started at these times, of this schedule. */
async function seedRuns(
  version: { id: string; pipelineId: string },
  scheduleId: string | null,
  starts: Date[],
): Promise<void> {
  const statuses: RunStatus[] = ['succeeded', 'failed', 'running'];
  const rows = starts.map((startedAt, index) => {
    workflows += 1;
    return {
      pipelineId: version.pipelineId,
      pipelineVersionId: version.id,
      workflowId: `schedule-queries-${workflows}`,
      status: statuses[index % statuses.length] ?? 'succeeded',
      trigger: 'schedule' as const,
      scheduleId,
      startedAt,
      finishedAt: index % 3 === 2 ? null : new Date(startedAt.getTime() + 1000),
    };
  });
  for (let at = 0; at < rows.length; at += 1000)
    await database.db.insert(runs).values(rows.slice(at, at + 1000));
}

describe('lastScheduledRuns', () => {
  it("answers each schedule's newest run, the higher id on a tie, as the DISTINCT ON it replaced did", async () => {
    const { pipeline, version } = await createPipeline(database.db, { name: 'Many runs', graph });
    const schedule = (name: string) =>
      insertSchedule(database.db, { pipelineId: pipeline.id, name, timing: daily });
    const [busy, tied, once, never] = await Promise.all([
      schedule('Busy'),
      schedule('Tied'),
      schedule('Once'),
      schedule('Never'),
    ]);
    if (!busy || !tied || !once || !never) throw new Error('no schedule row');
    const base = Date.UTC(2026, 0, 1);
    const hours = (count: number, from = 0) =>
      Array.from({ length: count }, (_, index) => new Date(base + (from + index) * 3_600_000));
    // 3,000 runs, not in start order; the newest in the middle of the insert.
    const busyStarts = hours(3000).sort(
      (a, b) => ((a.getTime() * 7919) % 3001) - ((b.getTime() * 7919) % 3001),
    );
    await seedRuns(version, busy.id, busyStarts);
    // Two runs that started at the same instant, the newest: the higher id wins, as before.
    await seedRuns(version, tied.id, [
      ...hours(50),
      new Date(base + 50 * 3_600_000),
      new Date(base + 50 * 3_600_000),
    ]);
    await seedRuns(version, once.id, hours(1, 10));
    // Newer runs of no schedule, and of a schedule not asked about, are not anyone's last run.
    await seedRuns(version, null, hours(5, 5000));

    const asked = [busy.id, tied.id, once.id, never.id];
    const last = await lastScheduledRuns(database.db, asked);

    const reference = await database.db
      .selectDistinctOn([runs.scheduleId], {
        scheduleId: runs.scheduleId,
        id: runs.id,
        status: runs.status,
        startedAt: runs.startedAt,
        finishedAt: runs.finishedAt,
      })
      .from(runs)
      .where(inArray(runs.scheduleId, asked))
      .orderBy(runs.scheduleId, desc(runs.startedAt), desc(runs.id));
    expect(reference).toHaveLength(3);
    expect(new Map(reference.map(({ scheduleId, ...run }) => [scheduleId, run]))).toEqual(last);
    expect(last.get(busy.id)?.startedAt).toEqual(new Date(base + 2999 * 3_600_000));
    const tiedIds = await database.db
      .select({ id: runs.id })
      .from(runs)
      .where(and(eq(runs.scheduleId, tied.id), eq(runs.startedAt, new Date(base + 50 * 3_600_000))));
    expect(tiedIds).toHaveLength(2);
    expect(last.get(tied.id)?.id).toBe(
      tiedIds
        .map((row) => row.id)
        .sort()
        .at(-1),
    );
    expect(last.get(once.id)?.startedAt).toEqual(new Date(base + 10 * 3_600_000));
    expect(last.has(never.id)).toBe(false);
    expect(await lastScheduledRuns(database.db, [])).toEqual(new Map());
  });

  it('walks runs_schedule_started_idx per schedule and stops at the first run, sorting no whole schedule', async () => {
    // The runs of the test above are in the table; with real statistics the planner sees 1,000 per schedule.
    await database.db.execute(sql`analyze runs`);
    const scheduled = await database.db
      .selectDistinct({ id: runs.scheduleId })
      .from(runs)
      .where(isNotNull(runs.scheduleId));
    const query = lastScheduledRunsQuery(
      database.db,
      scheduled.flatMap((row) => (row.id ? [row.id] : [])),
    );
    const plan = await database.db.execute(sql`explain (analyze, costs off, timing off) ${query}`);
    const text = plan.map((row) => String(Object.values(row)[0])).join('\n');
    expect(text).toMatch(/Limit \(actual rows=1 loops=3\)\s+-> {2}Incremental Sort/);
    expect(text).toMatch(/Index Scan using runs_schedule_started_idx on runs/);
    expect(text).not.toMatch(/Seq Scan on runs|Unique/);
  });
});

describe('pipelineLabels', () => {
  it("answers pipelines' names and the numbers of the versions asked, in one query without graphs", async () => {
    const first = await createPipeline(database.db, { name: 'Nightly scoring', graph });
    const second = await saveVersion(database.db, { pipelineId: first.pipeline.id, graph });
    const other = await createPipeline(database.db, { name: 'Weekly retrain', graph });
    const unknown = crypto.randomUUID();

    const labels = await pipelineLabels(
      database.db,
      [first.pipeline.id, other.pipeline.id, unknown],
      [second.id, other.version.id, unknown],
    );
    expect(labels.names).toEqual(
      new Map([
        [first.pipeline.id, 'Nightly scoring'],
        [other.pipeline.id, 'Weekly retrain'],
      ]),
    );
    expect(labels.numbers).toEqual(
      new Map([
        [second.id, 2],
        [other.version.id, 1],
      ]),
    );
    // Version 1 of the first pipeline was not asked for; no pipelines, no query.
    expect(labels.numbers.has(first.version.id)).toBe(false);
    expect(await pipelineLabels(database.db, [first.pipeline.id], [])).toEqual({
      names: new Map([[first.pipeline.id, 'Nightly scoring']]),
      numbers: new Map(),
    });
    expect(await pipelineLabels(database.db, [], [second.id])).toEqual({
      names: new Map(),
      numbers: new Map(),
    });
  });
});
