import { describe, expect, it } from 'vitest';
import type { LabelledWindow, MonitoredVersion } from '../_kit/monitoring-port';
import { slicePerformance } from './slice-performance';

const version: Pick<MonitoredVersion, 'signature' | 'transforms'> = {
  transforms: { version: 1, steps: [] },
  signature: {
    inputs: [{ name: 'age', type: 'number', unknownCategories: 'accept', nullable: true }],
    output: { task: 'classification', labels: ['no', 'yes'] },
  },
};

/** Six labelled predictions: right on the young, wrong on two of the three older ones. */
const window: LabelledWindow = {
  rows: 6,
  versions: [1],
  columns: new Map([['age', Float64Array.from([20, 30, 40, 60, 70, 80])]]),
  latencyMs: new Float64Array(6),
  predictions: { task: 'classification', labels: ['no', 'yes', 'no', 'yes', 'no', 'no'] },
  truth: { task: 'classification', labels: ['no', 'yes', 'no', 'no', 'no', 'yes'] },
};

describe('slicePerformance', () => {
  it('measures each slice on its own rows, and notes why one cannot be measured instead of dropping it', async () => {
    const slices = await slicePerformance(window, version, [
      { name: 'older', condition: { column: 'age', operator: '>', value: 50 } },
      { name: 'young', condition: { column: 'age', operator: '<=', value: 50 } },
      { name: 'by region', condition: { column: 'region', operator: '=', value: 'EU' } },
    ]);
    expect(slices.map(({ name, labelled, metrics }) => [name, labelled, metrics.accuracy])).toEqual([
      ['older', 3, 1 / 3],
      ['young', 3, 1],
      ['by region', 0, undefined],
    ]);
    expect(slices[2]?.note).toBe(
      'Not measured: column "region" is not one of the model\'s inputs, so the prediction log does not have it.',
    );
  });
});
