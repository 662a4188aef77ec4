import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AlertSubjectState,
  listModelAlerts,
  listMonitorChecks,
  type NewMonitorCheck,
  recordMonitorCheck,
  syncModelAlerts,
} from '../db/queries/monitoring';
import { ensureModel } from '../db/queries/registry';
import { runs } from '../db/schema';
import { createTestDatabase, type TestDatabase } from './support/database';
import { pipelineDoc } from './support/pipeline-doc';
import { savePipeline } from './support/pipelines';

/** monitor_checks and model_alerts through db/queries/monitoring.ts, on a real PostgreSQL. */

let database: TestDatabase;
let pipelineId = '';
let versionId = '';

beforeAll(async () => {
  database = await createTestDatabase();
  const saved = await savePipeline(database.db, pipelineDoc([{ id: 'monitor', type: 'test.source' }], []));
  pipelineId = saved.pipeline.id;
  versionId = saved.version.id;
});
afterAll(async () => {
  await database?.drop();
});

async function newRun(): Promise<string> {
  const [run] = await database.db
    .insert(runs)
    .values({ pipelineId, pipelineVersionId: versionId, workflowId: `monitor-${randomUUID()}` })
    .returning();
  if (!run) throw new Error('no run row');
  return run.id;
}

async function newModel(): Promise<string> {
  return (await ensureModel(database.sql, { name: `m-${randomUUID().slice(0, 8)}`, ownerId: null })).id;
}

function check(runId: string, modelId: string, extra: Partial<NewMonitorCheck> = {}): NewMonitorCheck {
  return {
    runId,
    nodeId: 'monitor',
    modelId,
    version: 1,
    windowFrom: new Date('2026-12-01T00:00:00.000Z'),
    windowTo: new Date('2026-12-01T01:00:00.000Z'),
    referenceRows: 100,
    currentRows: 50,
    performance: null,
    state: 'ok',
    features: [],
    modelStats: {},
    ...extra,
  };
}

const drift = (subject: string, state: AlertSubjectState['state']): AlertSubjectState => ({
  subject,
  kind: 'drift',
  state,
});

describe('monitor checks', () => {
  it('keeps one check per run and step: a retried attempt replaces the first in place', async () => {
    const modelId = await newModel();
    const runId = await newRun();
    const first = await recordMonitorCheck(database.sql, check(runId, modelId, { state: 'warn' }));
    const again = await recordMonitorCheck(
      database.sql,
      check(runId, modelId, { state: 'alert', currentRows: 70, features: [{ feature: 'x' }] }),
    );
    expect(again.id).toBe(first.id);
    const other = await recordMonitorCheck(database.sql, check(runId, modelId, { nodeId: 'monitor2' }));
    expect(other.id).not.toBe(first.id);
    const checks = await listMonitorChecks(database.sql, modelId);
    expect(checks).toHaveLength(2);
    expect(checks.find((row) => row.id === first.id)).toMatchObject({
      state: 'alert',
      currentRows: 70,
      features: [{ feature: 'x' }],
      windowFrom: new Date('2026-12-01T00:00:00.000Z'),
      windowTo: new Date('2026-12-01T01:00:00.000Z'),
    });
  });

  it('refuses a state outside ok, warn and alert', async () => {
    const modelId = await newModel();
    const runId = await newRun();
    await expect(
      database.sql`insert into monitor_checks (run_id, node_id, model_id, reference_rows, current_rows, state,
        features, model_stats) values (${runId}, 'n', ${modelId}, 1, 1, 'bad', '[]', '{}')`,
    ).rejects.toThrow(/monitor_checks_state_valid/);
    expect(await listMonitorChecks(database.sql, modelId)).toEqual([]);
  });
});

describe('model alerts', () => {
  it('opens on warn, keeps the same alert as it turns to alert, closes when ok, and opens anew after', async () => {
    const modelId = await newModel();
    const sync = async (subjects: AlertSubjectState[]) => {
      const { id: checkId } = await recordMonitorCheck(database.sql, check(await newRun(), modelId));
      return {
        checkId,
        changes: await syncModelAlerts(database.sql, {
          pipelineId,
          nodeId: 'monitor',
          modelId,
          checkId,
          subjects,
        }),
      };
    };
    const one = await sync([drift('dataset', 'warn'), drift('age', 'warn'), drift('income', 'ok')]);
    expect(one.changes.opened.map((alert) => [alert.subject, alert.state]).sort()).toEqual([
      ['age', 'warn'],
      ['dataset', 'warn'],
    ]);
    expect(one.changes.kept).toEqual([]);

    const two = await sync([drift('dataset', 'alert'), drift('age', 'alert'), drift('income', 'ok')]);
    expect(two.changes.opened).toEqual([]);
    expect(two.changes.kept.map((alert) => alert.alertId).sort()).toEqual(
      one.changes.opened.map((alert) => alert.alertId).sort(),
    );
    const open = await listModelAlerts(database.sql, modelId);
    expect(open).toHaveLength(2);
    for (const alert of open)
      expect(alert).toMatchObject({
        state: 'alert',
        openedCheckId: one.checkId,
        lastCheckId: two.checkId,
        closedAt: null,
      });

    // age recovers; the dataset stays in alert.
    const three = await sync([drift('dataset', 'alert'), drift('age', 'ok')]);
    expect(three.changes.closed.map((alert) => [alert.subject, alert.state])).toEqual([['age', 'alert']]);
    expect(three.changes.kept.map((alert) => alert.subject)).toEqual(['dataset']);

    // age drifts again: a new alert, the closed one stays closed.
    const four = await sync([drift('dataset', 'alert'), drift('age', 'warn')]);
    expect(four.changes.opened.map((alert) => alert.subject)).toEqual(['age']);
    const ages = (await listModelAlerts(database.sql, modelId)).filter((alert) => alert.subject === 'age');
    expect(ages.map((alert) => alert.closedAt === null).sort()).toEqual([false, true]);
  });

  it('closes a step’s open alerts on a model it no longer watches', async () => {
    const before = await newModel();
    const after = await newModel();
    const first = await recordMonitorCheck(database.sql, check(await newRun(), before, { nodeId: 'switch' }));
    await syncModelAlerts(database.sql, {
      pipelineId,
      nodeId: 'switch',
      modelId: before,
      checkId: first.id,
      subjects: [drift('dataset', 'alert')],
    });
    const second = await recordMonitorCheck(database.sql, check(await newRun(), after, { nodeId: 'switch' }));
    const changes = await syncModelAlerts(database.sql, {
      pipelineId,
      nodeId: 'switch',
      modelId: after,
      checkId: second.id,
      subjects: [drift('dataset', 'alert')],
    });
    expect(changes.closed.map((alert) => alert.subject)).toEqual(['dataset']);
    expect(changes.opened.map((alert) => alert.subject)).toEqual(['dataset']);
    expect((await listModelAlerts(database.sql, before))[0]?.closedAt).toBeInstanceOf(Date);
    expect((await listModelAlerts(database.sql, after))[0]?.closedAt).toBeNull();
  });

  it('keeps a feature and a metric of the same name apart: each has its own alert, closed on its own', async () => {
    const modelId = await newModel();
    const sync = async (subjects: AlertSubjectState[], unjudgedKinds?: AlertSubjectState['kind'][]) => {
      const written = await recordMonitorCheck(
        database.sql,
        check(await newRun(), modelId, { nodeId: 'same-name' }),
      );
      return syncModelAlerts(database.sql, {
        pipelineId,
        nodeId: 'same-name',
        modelId,
        checkId: written.id,
        subjects,
        ...(unjudgedKinds ? { unjudgedKinds } : {}),
      });
    };
    const metric = (state: AlertSubjectState['state']): AlertSubjectState => ({
      subject: 'f1',
      kind: 'performance',
      state,
    });
    const both = await sync([drift('f1', 'alert'), metric('warn')]);
    expect(both.opened.map((alert) => [alert.kind, alert.subject, alert.state]).sort()).toEqual([
      ['drift', 'f1', 'alert'],
      ['performance', 'f1', 'warn'],
    ]);
    // A check that could not judge performance (too few labels) leaves its alert as it was.
    const unjudged = await sync([drift('f1', 'alert')], ['performance']);
    expect(unjudged.closed).toEqual([]);
    expect(unjudged.kept.map((alert) => [alert.kind, alert.subject])).toEqual([['drift', 'f1']]);
    const metricOnly = await sync([drift('f1', 'ok'), metric('alert')]);
    expect(metricOnly.closed.map((alert) => [alert.kind, alert.subject])).toEqual([['drift', 'f1']]);
    expect(metricOnly.kept.map((alert) => [alert.kind, alert.subject, alert.state])).toEqual([
      ['performance', 'f1', 'alert'],
    ]);
  });

  it('allows one open alert per step and subject, whatever writes it', async () => {
    const modelId = await newModel();
    const { id: checkId } = await recordMonitorCheck(
      database.sql,
      check(await newRun(), modelId, { nodeId: 'dup' }),
    );
    const insert = () => database.sql`
      insert into model_alerts (model_id, pipeline_id, node_id, subject, kind, state, opened_check_id, last_check_id)
      values (${modelId}, ${pipelineId}, 'dup', 'dataset', 'drift', 'alert', ${checkId}, ${checkId})`;
    await insert();
    await expect(insert()).rejects.toThrow(/model_alerts_open_subject_key/);
    expect(await listModelAlerts(database.sql, modelId)).toHaveLength(1);
  });
});
