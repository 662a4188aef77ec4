/**
 * A run a monitor started says so on its canvas, in Chromium against the production app: "Started by
 * monitor (alert on <subject>)", linking to the model; a run started otherwise says nothing
 * of the kind. The alert and the runs are seeded as the monitor.retrain step leaves them.
 */
import { describe, expect, it } from 'vitest';
import { recordMonitorCheck, syncModelAlerts } from '../../db/queries/monitoring';
import { createPipeline } from '../../db/queries/pipelines';
import { setUpE2eSession } from '../support/e2e-session';
import { pipelineDoc } from '../support/pipeline-doc';
import { registerTestModel } from '../support/registered-model';

const ids = { retrainPipeline: '', retrainRun: '', manualRun: '' };

const session = setUpE2eSession({
  accounts: { viewer: 'vic@origin.test' },
  async before(fixture) {
    const { sql, db } = fixture.database;
    const { modelId } = await registerTestModel(sql, {
      name: 'churn',
      model: {
        onnx: Buffer.from('not served here'),
        signature: {
          inputs: [{ name: 'tenure', type: 'number', unknownCategories: 'accept', nullable: false }],
          output: { task: 'classification', labels: ['no', 'yes'] },
        },
      },
      alias: 'production',
    });
    const monitor = await createPipeline(db, {
      name: 'Churn monitor',
      graph: pipelineDoc(
        [
          { id: 'drift', type: 'monitor.drift', config: { model: 'churn' } },
          { id: 'retrain', type: 'monitor.retrain', config: { pipeline: 'Churn retraining' } },
        ],
        ['drift.report->retrain.report'],
      ),
    });
    const retraining = await createPipeline(db, {
      name: 'Churn retraining',
      graph: pipelineDoc(
        [
          { id: 'logged', type: 'ingest.predictions', config: { model: 'churn' } },
          { id: 'split', type: 'split', config: { method: 'random' } },
        ],
        ['logged.data->split.data'],
      ),
    });
    ids.retrainPipeline = retraining.pipeline.id;
    const insertRun = async (pipeline: typeof monitor, trigger: string) => {
      const [row] = await sql<{ id: string }[]>`
        insert into runs (pipeline_id, pipeline_version_id, workflow_id, trigger, status, finished_at)
        values (${pipeline.pipeline.id}, ${pipeline.version.id}, ${`origin-${trigger}-${Math.random()}`},
          ${trigger}, 'succeeded', now())
        returning id`;
      if (!row) throw new Error('no run');
      return row.id;
    };
    const monitorRun = await insertRun(monitor, 'schedule');
    const { id: checkId } = await recordMonitorCheck(sql, {
      runId: monitorRun,
      nodeId: 'drift',
      modelId,
      version: 1,
      windowFrom: new Date(Date.now() - 3_600_000),
      windowTo: new Date(),
      referenceRows: 100,
      currentRows: 100,
      state: 'alert',
      features: [],
      modelStats: {},
      performance: null,
    });
    await syncModelAlerts(sql, {
      pipelineId: monitor.pipeline.id,
      nodeId: 'drift',
      modelId,
      checkId,
      subjects: [{ subject: 'dataset', kind: 'drift', state: 'alert' }],
    });
    ids.retrainRun = await insertRun(retraining, 'monitor');
    ids.manualRun = await insertRun(retraining, 'manual');
    await sql`update model_alerts set retrain_run_id = ${ids.retrainRun} where model_id = ${modelId}`;
  },
});

describe('a monitor-started run', () => {
  it('names the alert that started it on its canvas, linking to the model', async () => {
    const page = await session.newPage();
    await session.signIn(page, 'viewer', '/');
    await page.goto(`${session.app.url}/pipelines/${ids.retrainPipeline}?run=${ids.retrainRun}`);
    const origin = page.getByTestId('run-started-for');
    await origin.waitFor();
    expect(await origin.textContent()).toBe('Alert on dataset');
    expect(await origin.getAttribute('href')).toBe('/models/churn?tab=monitoring');
    expect(await origin.getAttribute('title')).toBe(
      'Started by the monitor: an alert on dataset of model churn',
    );
    await session.screenshot(page, 'monitor-run-origin');

    await page.goto(`${session.app.url}/pipelines/${ids.retrainPipeline}?run=${ids.manualRun}`);
    await page.getByTestId('run-status').waitFor();
    expect(await page.getByTestId('run-started-for').count()).toBe(0);
  });
});
