import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipeline } from '../db/queries/pipelines';
import { auditLog, runs, schedules } from '../db/schema';
import { temporalScheduleId } from '../workflows/schedules/temporal-schedule';
import { runCli } from './support/cli';
import { setUpDatabaseAndWorker } from './support/fixture';
import { pipelineDoc } from './support/pipeline-doc';

const fixture = setUpDatabaseAndWorker();
let scratch: string;
const created: string[] = [];

beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'pipewright-cli-schedules-'));
});
afterAll(async () => {
  for (const id of created) {
    await fixture.worker.client.schedule
      .getHandle(temporalScheduleId(id))
      .delete()
      .catch(() => {});
  }
  rmSync(scratch, { recursive: true, force: true });
});

function pipewright(args: string[]) {
  return runCli(fixture, path.join(scratch, 'data'), args);
}

async function labelledPipeline(name: string) {
  const { pipeline } = await createPipeline(fixture.database.db, {
    name,
    graph: pipelineDoc(
      [{ id: 'source', type: 'test.source', config: { value: { $param: 'label' } } }],
      [],
      [{ name: 'label', type: 'string', description: '' }],
    ),
  });
  return pipeline.id;
}

describe('pipewright schedules', () => {
  it('creates, lists, pauses, resumes, triggers and deletes a schedule', async () => {
    const pipelineId = await labelledPipeline('cli scheduled');
    const made = await pipewright([
      'schedules',
      'create',
      pipelineId,
      '--cron',
      '0 6 * * *',
      '--timezone',
      'Europe/Paris',
      '--param',
      'label=morning',
      '--overlap',
      'buffer',
      '--json',
    ]);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    const answer = JSON.parse(made.stdout);
    created.push(answer.id);
    expect(answer.nextRuns).toHaveLength(5);
    // 06:00 in Paris is 05:00 or 04:00 UTC, depending on the season.
    for (const time of answer.nextRuns) expect(new Date(time).getUTCHours()).toBeOneOf([4, 5]);
    const [row] = await fixture.database.db.select().from(schedules).where(eq(schedules.id, answer.id));
    expect(row).toMatchObject({ overlap: 'buffer', parameters: { label: 'morning' }, paused: false });

    const listed = await pipewright(['schedules', 'list', '--pipeline', pipelineId, '--json']);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ id: answer.id, timingText: 'At 06:00 (Europe/Paris)', paused: false }),
    ]);

    const paused = await pipewright(['schedules', 'pause', answer.id, '--note', 'holiday']);
    expect(paused.stdout).toBe(`Paused ${answer.id}\n`);
    const inTemporal = await fixture.worker.client.schedule
      .getHandle(temporalScheduleId(answer.id))
      .describe();
    expect(inTemporal.state).toMatchObject({ paused: true, note: 'holiday' });
    expect((await pipewright(['schedules', 'resume', answer.id])).code).toBe(0);

    expect((await pipewright(['schedules', 'trigger', answer.id])).code).toBe(0);
    await expect
      .poll(
        async () =>
          (
            await fixture.database.db
              .select()
              .from(runs)
              .where(and(eq(runs.pipelineId, pipelineId), eq(runs.status, 'succeeded')))
          ).length,
        { timeout: 30_000, interval: 500 },
      )
      .toBe(1);
    const runList = JSON.parse((await pipewright(['runs', '--pipeline', pipelineId, '--json'])).stdout);
    expect(runList).toEqual([expect.objectContaining({ trigger: 'schedule', status: 'succeeded' })]);

    expect((await pipewright(['schedules', 'delete', answer.id])).code).toBe(0);
    expect(await fixture.database.db.select().from(schedules).where(eq(schedules.id, answer.id))).toEqual([]);
    const actions = await fixture.database.db.select().from(auditLog).where(eq(auditLog.objectId, answer.id));
    expect(actions.map((entry) => [entry.action, entry.actorKind]).sort()).toEqual([
      ['schedule.created', 'cli'],
      ['schedule.deleted', 'cli'],
      ['schedule.paused', 'cli'],
      ['schedule.resumed', 'cli'],
      ['schedule.triggered', 'cli'],
    ]);
  }, 90_000);

  it('refuses bad flags with a sentence naming them, and creates nothing', async () => {
    const pipelineId = await labelledPipeline('cli refused');
    const label = ['--param', 'label=x'];
    const cases: [string[], RegExp][] = [
      [['--every', '10w', ...label], /--every must be a number and a unit s, m, h or d/],
      [['--cron', '0 6 * *', ...label], /--cron\.expression must have five fields/],
      [['--cron', '0 6 * * *', '--timezone', 'Atlantis/Capital', ...label], /is not a known time zone/],
      [
        ['--every', '10m', '--overlap', 'never', ...label],
        /--overlap must be one of skip, buffer, cancel, allow/,
      ],
      [['--every', '10m'], /parameters: Parameter "label" needs a value/],
      [label, /needs --every \(e\.g\. 10m\) or --cron/],
    ];
    for (const [flags, message] of cases) {
      const refused = await pipewright(['schedules', 'create', pipelineId, ...flags]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(message);
    }
    expect(
      await fixture.database.db.select().from(schedules).where(eq(schedules.pipelineId, pipelineId)),
    ).toEqual([]);
    const backfill = await pipewright([
      'schedules',
      'backfill',
      crypto.randomUUID(),
      '--from',
      'yesterday',
      '--to',
      'today',
    ]);
    expect(backfill.stderr).toMatch(/from must be a date and time/);
  }, 60_000);
});
