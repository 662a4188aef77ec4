import { describe, expect, it } from 'vitest';
import type { EvaluationReport } from '../../../nodes/evaluate/report-schema';
import { evaluationParts, residualStats } from './evaluation-parts';

const base: Omit<EvaluationReport, 'task' | 'metrics'> = {
  algorithm: 'linear',
  target: 'y',
  rows: 4,
  slices: [],
  gates: [],
  importances: [],
  permutationImportances: [],
  training: { rows: 10, seconds: 0.1, metrics: {} },
};

describe('evaluationParts', () => {
  it("takes a binary model's exact roc_auc, not the thinned curve's area", () => {
    const report: EvaluationReport = {
      ...base,
      task: 'classification',
      metrics: { roc_auc: 0.875 },
      confusionMatrix: {
        labels: ['no', 'yes'],
        matrix: [
          [2, 0],
          [1, 1],
        ],
      },
      curves: [
        {
          class: 'yes',
          roc: [
            { fpr: 0, tpr: 0 },
            { fpr: 0, tpr: 1 },
            { fpr: 1, tpr: 1 },
          ],
          precisionRecall: [],
        },
      ],
    };
    const parts = evaluationParts(report);
    expect(parts.confusion).toEqual({
      labels: ['no', 'yes'],
      matrix: [
        [2, 0],
        [1, 1],
      ],
    });
    expect(parts.roc).toEqual([
      {
        class: 'yes',
        points: [
          { x: 0, y: 0 },
          { x: 0, y: 1 },
          { x: 1, y: 1 },
        ],
        auc: 0.875,
      },
    ]);
    expect(parts.residuals).toBeNull();
  });

  it('measures each class’s area under its curve when there are more classes', () => {
    const curve = (label: string, tpr: number) => ({
      class: label,
      roc: [
        { fpr: 0, tpr: 0 },
        { fpr: 0, tpr },
        { fpr: 1, tpr: 1 },
      ],
      precisionRecall: [],
    });
    const parts = evaluationParts({
      ...base,
      task: 'classification',
      metrics: { roc_auc: 0.7 },
      curves: [curve('a', 1), curve('b', 0.5), curve('c', 0)],
    });
    expect(parts.roc?.map((item) => item.auc)).toEqual([1, 0.75, 0.5]);
    expect(parts.confusion).toBeNull();
  });

  it('sums up the residuals of a regression model, and has no matrix or curves', () => {
    const parts = evaluationParts({
      ...base,
      task: 'regression',
      metrics: { rmse: 1 },
      residuals: [
        { actual: 3, predicted: 1, residual: 2 },
        { actual: 1, predicted: 3, residual: -2 },
        { actual: 5, predicted: 4, residual: 1 },
        { actual: 4, predicted: 5, residual: -1 },
      ],
    });
    expect(parts.roc).toBeNull();
    expect(parts.confusion).toBeNull();
    expect(parts.residuals).toEqual({
      rows: 4,
      mean: 0,
      std: Math.sqrt(2.5),
      meanAbsolute: 1.5,
      maxAbsolute: 2,
    });
  });
});

describe('residualStats', () => {
  it('has nothing to say about no residuals', () => {
    expect(residualStats([])).toBeNull();
  });
});
