import { describe, expect, it } from 'vitest';
import {
  bestColumns,
  type ComparedRun,
  compareRows,
  onlyDifferences,
  parameterText,
  sameAcross,
} from './compare-rows';

function run(overrides: Partial<ComparedRun>): ComparedRun {
  return {
    pipelineName: 'Churn',
    version: 3,
    trigger: 'manual',
    durationMs: 4000,
    parameters: [],
    steps: [],
    metrics: [],
    ...overrides,
  };
}

describe('compareRows', () => {
  const first = run({
    parameters: [
      { name: 'depth', value: 4 },
      { name: 'cutoff', value: '2026-01-01' },
    ],
    steps: [
      { nodeId: 'train', nodeType: 'train', status: 'succeeded', attempt: 1, durationMs: 1500 },
      { nodeId: 'check', nodeType: 'evaluate', status: 'succeeded', attempt: 1, durationMs: 200 },
    ],
    metrics: [
      { step: 'check', name: 'accuracy', value: 0.9 },
      { step: 'check', name: 'log_loss', value: 0.3 },
    ],
  });
  const second = run({
    version: 4,
    trigger: 'schedule',
    parameters: [{ name: 'depth', value: 6 }],
    steps: [
      { nodeId: 'train', nodeType: 'train', status: 'failed', attempt: 3, durationMs: 900 },
      { nodeId: 'check', nodeType: 'evaluate', status: 'skipped', attempt: 0, durationMs: null },
    ],
  });

  it('has a row per version fact, parameter (by name), step status and duration, and metric', () => {
    const rows = compareRows([first, second]);
    expect(rows.map((row) => [row.section, row.label, row.values])).toEqual([
      ['version', 'Pipeline', ['Churn', 'Churn']],
      ['version', 'Version', ['v3', 'v4']],
      ['version', 'Trigger', ['manual', 'schedule']],
      ['version', 'Duration', [4000, 4000]],
      ['parameters', 'cutoff', ['2026-01-01', null]],
      ['parameters', 'depth', ['4', '6']],
      ['steps', 'train status', ['succeeded', 'failed (3 attempts)']],
      ['steps', 'train duration', [1500, 900]],
      ['steps', 'check status', ['succeeded', 'skipped']],
      ['steps', 'check duration', [200, null]],
      ['metrics', 'Accuracy', [0.9, null]],
      ['metrics', 'Log loss', [0.3, null]],
    ]);
  });

  it('names the evaluate step in a metric row only when the runs have more than one', () => {
    const twoChecks = run({
      metrics: [
        { step: 'check', name: 'accuracy', value: 0.9 },
        { step: 'holdout', name: 'accuracy', value: 0.8 },
      ],
    });
    const labels = compareRows([twoChecks, twoChecks])
      .filter((row) => row.section === 'metrics')
      .map((row) => row.label);
    expect(labels).toEqual(['Accuracy (check)', 'Accuracy (holdout)']);
  });

  it('keeps only the rows that differ when asked', () => {
    const kept = onlyDifferences(compareRows([first, second])).map((row) => row.key);
    expect(kept).not.toContain('pipeline');
    expect(kept).not.toContain('duration');
    expect(kept).toContain('version');
    expect(kept).toContain('parameter:cutoff');
    expect(kept).toContain('step:check:duration');
  });
});

describe('sameAcross', () => {
  it('treats a missing value as different from any value, and equal missing values as equal', () => {
    expect(sameAcross([1, 1, 1])).toBe(true);
    expect(sameAcross([null, null])).toBe(true);
    expect(sameAcross([1, null])).toBe(false);
    expect(sameAcross(['4', '4', '6'])).toBe(false);
  });
});

describe('bestColumns', () => {
  it('marks the highest value of a score', () => {
    expect(bestColumns('accuracy', [0.8, 0.93, null, 0.9])).toEqual([1]);
    expect(bestColumns('r2', [0.5, -0.2])).toEqual([0]);
  });

  it('marks the lowest value of an error metric', () => {
    expect(bestColumns('rmse', [2.5, 1.75, 3])).toEqual([1]);
    expect(bestColumns('mae', [0.4, 0.2])).toEqual([1]);
    expect(bestColumns('log_loss', [0.3, 0.45])).toEqual([0]);
    expect(bestColumns('mape', [0.12, 0.1])).toEqual([1]);
  });

  it('marks every tied best value, and nothing when all are equal or only one run has the metric', () => {
    expect(bestColumns('f1', [0.9, 0.7, 0.9])).toEqual([0, 2]);
    expect(bestColumns('f1', [0.9, 0.9])).toEqual([]);
    expect(bestColumns('f1', [0.9, null])).toEqual([]);
    expect(bestColumns('f1', [Number.NaN, 0.5, 0.6])).toEqual([2]);
  });
});

describe('parameterText', () => {
  it('writes strings as they are and anything else as JSON', () => {
    expect(parameterText('f1')).toBe('f1');
    expect(parameterText(4)).toBe('4');
    expect(parameterText(true)).toBe('true');
    expect(parameterText({ upload: 'a.csv' })).toBe('{"upload":"a.csv"}');
  });
});
