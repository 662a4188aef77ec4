import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeHarness } from '../../tests/support/node-harness';
import type { ArtifactRef } from '../_kit/artifact-ref';
import { nodeRuns } from '../runs';
import { closeTrainingPool } from '../train/fit-pool';
import { evaluationReportSchema } from './report-schema';

const harness = new NodeHarness();
let data: ArtifactRef;
let model: ArtifactRef;

function output(ref: ArtifactRef | undefined): ArtifactRef {
  if (!ref) throw new Error('a step gave no output');
  return ref;
}

beforeAll(async () => {
  const ingested = await harness.run(nodeRuns.ingest, { source: 'sample', sample: 'breast_cancer' });
  const split = await harness.run(
    nodeRuns.split,
    { method: 'stratified', stratifyBy: 'target' },
    { data: output(ingested.outputs.data) },
  );
  const featured = await harness.run(
    nodeRuns.feature,
    { operations: [{ op: 'standardize', columns: { byType: 'numeric', except: ['target'] } }] },
    { data: output(split.outputs.data) },
  );
  data = output(featured.outputs.data);
  const trained = await harness.run(nodeRuns.train, { target: 'target', algorithm: 'linear' }, { data });
  model = output(trained.outputs.model);
}, 60_000);
afterAll(async () => {
  await closeTrainingPool();
  harness.cleanup();
});

describe('evaluate', () => {
  it('measures the test rows overall and per slice, passes gates and writes the report', async () => {
    const result = await harness.run(
      nodeRuns.evaluate,
      {
        // Standardised radius: above the training mean.
        slices: [{ name: 'large tumours', condition: { column: 'mean_radius', operator: '>', value: 0 } }],
        gates: [
          { metric: 'accuracy', operator: '>=', value: 0.95 },
          { metric: 'recall', operator: '>=', value: 0.8, slice: 'large tumours' },
          { metric: 'roc_auc', operator: '>=', value: 0, compare: 'production' },
        ],
      },
      { model, data },
    );
    // What the run-details drawer reads: the report must parse with the schema the app uses.
    const report = evaluationReportSchema.parse(
      JSON.parse(readFileSync(new URL(output(result.outputs.report).uri), 'utf8')),
    );
    expect(report.rows).toBe(113);
    expect(report.metrics.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(report.metrics.roc_auc).toBeGreaterThanOrEqual(0.98);
    expect(report.confusionMatrix?.labels).toEqual([0, 1]);
    const matrix = report.confusionMatrix?.matrix ?? [];
    // 42 malignant and 71 benign test rows, as the stratified split puts them.
    expect(matrix.map((row) => row.reduce((sum, count) => sum + count, 0))).toEqual([42, 71]);
    expect((matrix[0]?.[0] ?? 0) + (matrix[1]?.[1] ?? 0)).toBe(
      Math.round((report.metrics.accuracy ?? 0) * 113),
    );
    const roc = report.curves?.[0]?.roc ?? [];
    expect(roc[0]).toEqual({ fpr: 0, tpr: 0 });
    expect(roc.at(-1)).toEqual({ fpr: 1, tpr: 1 });
    expect(report.permutationImportances).toHaveLength(30);
    expect(report.permutationImportances[0]?.importance).toBeGreaterThan(0);
    expect(report.slices[0]?.name).toBe('large tumours');
    expect(report.slices[0]?.rows).toBeGreaterThan(20);
    expect(report.slices[0]?.rows).toBeLessThan(113);
    expect(report.gates.map((gate) => gate.passed)).toEqual([true, true, true]);
    expect(report.gates[2]?.note).toBe('No model in production yet to compare with');
    expect(result.summary?.gates).toEqual([
      { description: 'accuracy >= 0.95', passed: true },
      { description: 'slice "large tumours" recall >= 0.8', passed: true },
      { description: 'roc_auc >= production', passed: true },
    ]);
  });

  it('fails the step on a failed gate, listing each one with what was measured', async () => {
    await expect(
      harness.run(
        nodeRuns.evaluate,
        {
          gates: [
            { metric: 'accuracy', operator: '>=', value: 0.999 },
            { metric: 'rmse', operator: '<=', value: 1 },
            { metric: 'f1', operator: '>=', value: 0.5, slice: 'nowhere' },
          ],
        },
        { model, data },
      ),
    ).rejects.toThrow(
      /^Failed gates: accuracy >= 0\.999 \(measured 0\.9\d+\); rmse <= 1 \(No metric "rmse" here \(accuracy, .*\)\); slice "nowhere" f1 >= 0\.5 \(No slice is named "nowhere"\)$/,
    );
  });
});
