import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli';
import { setUpDatabaseAndWorker } from './support/fixture';

const fixture = setUpDatabaseAndWorker();
const examples = path.resolve(import.meta.dirname, '..', 'examples');
const samples = path.resolve(import.meta.dirname, '..', 'nodes', 'ingest', 'samples');

/** `pipewright run <example> --param … --wait --json`, with the worker's DATA_DIR for uploads. */
async function runExample(name: string, params: Record<string, string>) {
  const args = ['run', path.join(examples, `${name}.pipeline.json`), '--wait', '--json'];
  for (const [key, value] of Object.entries(params)) args.push('--param', `${key}=${value}`);
  const result = await runCli(fixture, fixture.worker.dataDir, args);
  if (result.code !== 0)
    throw new Error(`pipewright exited ${result.code}: ${result.stdout}${result.stderr}`);
  return JSON.parse(result.stdout);
}

describe('worked examples through Temporal', () => {
  it('classifies the breast cancer data end to end, evaluation gates included', async () => {
    const report = await runExample('classification', {
      dataset: path.join(samples, 'breast_cancer.csv'),
      target: 'target',
    });
    expect(report.status).toBe('succeeded');
    expect(report.steps.map((step: { nodeId: string }) => step.nodeId)).toEqual([
      'ingest',
      'clean',
      'split',
      'feature',
      'train',
      'evaluate',
    ]);
    // scikit-learn's HistGradientBoosting reaches 0.9737 / 0.9931 on a split of this data.
    expect(report.metrics.evaluate.accuracy).toBeGreaterThanOrEqual(0.93);
    expect(report.metrics.evaluate.roc_auc).toBeGreaterThanOrEqual(0.98);
    expect(report.metrics.train.accuracy).toBeGreaterThanOrEqual(report.metrics.evaluate.accuracy - 0.05);
  }, 120_000);

  it('handles string labels, three classes, missing values and a categorical column', async () => {
    const file = path.join(fixture.worker.dataDir, 'flowers.csv');
    const colours = ['red', 'blue', 'green', ''];
    const lines = ['petal length,petal width,colour,species'];
    // Three well separated species; every 7th length missing, every 4th colour missing.
    for (let row = 0; row < 150; row++) {
      const species = ['setosa', 'versicolor', 'virginica'][row % 3] ?? '';
      const base = (row % 3) * 2 + 1;
      const length = row % 7 === 0 ? '' : (base + ((row * 37) % 10) / 10).toFixed(1);
      const width = (base / 2 + ((row * 13) % 10) / 20).toFixed(2);
      lines.push(`${length},${width},${colours[row % 4]},${species}`);
    }
    writeFileSync(file, `${lines.join('\n')}\n`);
    const report = await runExample('classification', { dataset: file, target: 'species' });
    expect(report.status).toBe('succeeded');
    expect(report.metrics.evaluate.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(Object.keys(report.metrics.evaluate)).toContain('f1_macro');
  }, 120_000);

  it('predicts a number on the diabetes data', async () => {
    const report = await runExample('regression', {
      dataset: path.join(samples, 'diabetes.csv'),
      target: 'target',
    });
    expect(report.status).toBe('succeeded');
    // scikit-learn's HistGradientBoostingRegressor reaches R² 0.3752 on a split of this data.
    expect(report.metrics.evaluate.r2).toBeGreaterThanOrEqual(0.25);
    expect(report.metrics.evaluate.rmse).toBeGreaterThan(0);
  }, 120_000);
});
