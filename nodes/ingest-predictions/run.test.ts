import { afterAll, describe, expect, it } from 'vitest';
import { NodeHarness } from '../../tests/support/node-harness';
import { csvDataset, readDataset } from '../../tests/support/test-dataset';
import { datasetSchemaSchema } from '../_data/dataset-schema';
import type { LabelledWindow, LogWindowRequest, MonitoringPort } from '../_kit/monitoring-port';
import { nodeRuns } from '../runs';

/**
 * The node on a fake monitoring port (the database side is tests/monitoring-loop.test.ts): the
 * dataset's columns and types, the added rows, and the refusals.
 */

const harness = new NodeHarness();
afterAll(() => harness.cleanup());

const RUN_START = new Date('2026-12-07T12:00:00Z');

function fakeMonitoring(labelled: LabelledWindow, asked: LogWindowRequest[] = []): MonitoringPort {
  const unused = () => Promise.reject(new Error('not used by ingest.predictions'));
  return {
    runStartedAt: async () => RUN_START,
    lastCheckEnd: unused,
    findVersion: async (name) =>
      name === 'churn'
        ? {
            status: 'found',
            version: {
              modelId: 'model-1',
              modelName: 'churn',
              version: 2,
              target: 'churned',
              signature: {
                inputs: [
                  { name: 'tenure', type: 'number', unknownCategories: 'accept', nullable: true },
                  { name: 'paying', type: 'boolean', unknownCategories: 'accept', nullable: false },
                  {
                    name: 'plan',
                    type: 'string',
                    categories: ['basic', 'pro'],
                    unknownCategories: 'accept',
                    nullable: true,
                  },
                ],
                output: { task: 'classification', labels: ['no', 'yes'] },
              },
              reference: {},
              testMetrics: {},
              referenceSample: async () => undefined,
              transforms: { version: 1, steps: [] },
              slices: async () => [],
            },
          }
        : { status: 'no-model' },
    readLog: unused,
    readLabelledLog: async (request) => {
      asked.push(request);
      return labelled;
    },
    recordCheck: unused,
    syncAlerts: unused,
  };
}

const threeRows: LabelledWindow = {
  rows: 3,
  versions: [1, 2],
  columns: new Map<string, Float64Array | (string | null)[]>([
    ['tenure', Float64Array.from([3, Number.NaN, 24.5])],
    ['paying', Float64Array.from([1, 0, 1])],
    ['plan', ['basic', null, 'pro']],
  ]),
  latencyMs: Float64Array.from([1, 2, 3]),
  predictions: { task: 'classification', labels: ['yes', 'yes', 'no'] },
  truth: { task: 'classification', labels: ['yes', 'no', 'no'] },
};

const run = (
  config: Record<string, unknown>,
  labelled: LabelledWindow,
  append?: Awaited<ReturnType<typeof csvDataset>>,
) =>
  harness.run(nodeRuns['ingest.predictions'], { model: 'churn', ...config }, append ? { append } : {}, {
    ports: { monitoring: fakeMonitoring(labelled) },
  });

describe('ingest.predictions', () => {
  it("writes the logged inputs in the signature's order and types, and the feedback under the version's target", async () => {
    const asked: LogWindowRequest[] = [];
    const result = await harness.run(
      nodeRuns['ingest.predictions'],
      { model: 'churn', windowLength: 6, windowUnit: 'hours' },
      {},
      { ports: { monitoring: fakeMonitoring(threeRows, asked) } },
    );
    expect(asked.map((request) => [request.from, request.to])).toEqual([
      [new Date('2026-12-07T06:00:00Z'), RUN_START],
    ]);
    const { rows, spec } = await readDataset(result.outputs.data);
    expect(rows).toEqual([
      { tenure: 3, paying: true, plan: 'basic', churned: 'yes' },
      { tenure: null, paying: false, plan: null, churned: 'no' },
      { tenure: 24.5, paying: true, plan: 'pro', churned: 'no' },
    ]);
    expect(spec.columns).toEqual([
      { name: 'tenure', storage: 'DOUBLE' },
      { name: 'paying', storage: 'BOOLEAN' },
      { name: 'plan', storage: 'VARCHAR' },
      { name: 'churned', storage: 'VARCHAR' },
    ]);
    const schema = datasetSchemaSchema.parse(result.artifacts[0]?.meta.schema);
    expect(schema.columns.map((column) => [column.name, column.type])).toEqual([
      ['tenure', 'numeric'],
      ['paying', 'boolean'],
      ['plan', 'categorical'],
      ['churned', 'categorical'],
    ]);
    expect(result.summary).toMatchObject({
      rows: 3,
      labelled: 3,
      appended: 0,
      versions: [1, 2],
      target: 'churned',
      window: { from: '2026-12-07T06:00:00.000Z', to: '2026-12-07T12:00:00.000Z' },
    });
  });

  it('adds the connected training rows by column name, cast to the logged types', async () => {
    const original = await csvDataset(
      harness,
      'original',
      'plan,churned,tenure,paying\npro,yes,12,true\nbasic,no,1,false\n',
    );
    const result = await run(
      { from: '2026-12-01T00:00:00Z', to: '2026-12-02T00:00:00Z' },
      threeRows,
      original,
    );
    const { rows } = await readDataset(result.outputs.data);
    expect(rows).toHaveLength(5);
    expect(rows.slice(3)).toEqual([
      { tenure: 12, paying: true, plan: 'pro', churned: 'yes' },
      { tenure: 1, paying: false, plan: 'basic', churned: 'no' },
    ]);
    expect(result.summary).toMatchObject({ rows: 5, labelled: 3, appended: 2 });
  });

  it('names the column the added rows lack or have too many of', async () => {
    const lacking = await csvDataset(harness, 'lacking', 'tenure,paying,churned\n1,true,no\n');
    await expect(run({}, threeRows, lacking)).rejects.toThrow(
      'The added training rows have no column "plan": they need the model\'s input columns and the target (tenure, paying, plan, churned)',
    );
    const extra = await csvDataset(
      harness,
      'extra',
      'tenure,paying,plan,churned,customer_id\n1,true,pro,no,7\n',
    );
    await expect(run({}, threeRows, extra)).rejects.toThrow(
      'The added training rows have a column "customer_id" the logged predictions do not',
    );
  });

  it('fails naming the model and the window when no prediction there has feedback, and naming the model when it is unknown', async () => {
    const empty: LabelledWindow = {
      rows: 0,
      versions: [],
      columns: new Map(),
      latencyMs: new Float64Array(0),
      predictions: { task: 'classification', labels: [] },
      truth: { task: 'classification', labels: [] },
    };
    await expect(run({ from: '2026-12-01T00:00:00Z', to: '2026-12-02T00:00:00Z' }, empty)).rejects.toThrow(
      'There are no logged predictions with feedback in the window: no prediction of churn made from 2026-12-01T00:00:00.000Z to 2026-12-02T00:00:00.000Z has had its true label or value sent.',
    );
    await expect(run({ model: 'nobody' }, threeRows)).rejects.toThrow(
      'No registered model is named "nobody" (see Models)',
    );
    await expect(run({ target: 'plan' }, threeRows)).rejects.toThrow(
      'The target column "plan" is also an input of churn: name the target column otherwise',
    );
  });
});
