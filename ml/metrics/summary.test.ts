import { describe, expect, it } from 'vitest';
import { classificationMetrics, metricNames, regressionMetrics } from './summary';

describe('classificationMetrics', () => {
  it('scores the positive class for two classes, by hand', () => {
    // Predicted classes 1, 1, 0, 0 for true 1, 0, 0, 1: tp 1, fp 1, fn 1, tn 1.
    const probabilities = Float64Array.from([0.2, 0.8, 0.4, 0.6, 0.9, 0.1, 0.7, 0.3]);
    const metrics = classificationMetrics([1, 0, 0, 1], probabilities, 2);
    expect(metrics).toMatchObject({ accuracy: 0.5, precision: 0.5, recall: 0.5, f1: 0.5 });
    // Positive scores 0.8 and 0.3 against negatives 0.6 and 0.1: 3 of 4 pairs ordered right.
    expect(metrics.roc_auc).toBeCloseTo(0.75, 12);
    expect(metrics.log_loss).toBeCloseTo(
      -(Math.log(0.8) + Math.log(0.4) + Math.log(0.9) + Math.log(0.3)) / 4,
      12,
    );
  });

  it('macro-averages over the classes that occur', () => {
    const probabilities = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 1, 0]);
    const metrics = classificationMetrics([0, 1, 1], probabilities, 3);
    // Truth 0, 1, 2 predicted 0, 1, 1: F1 of 1, 2/3 and 0.
    expect(classificationMetrics([0, 1, 2], probabilities, 3).f1_macro).toBeCloseTo(5 / 9, 12);
    expect(metrics.accuracy).toBe(1);
    expect(metrics.f1).toBe(metrics.f1_macro);
    // Class 2 occurs neither in the truth nor in the predictions: left out of the macro average.
    expect(metrics.f1_macro).toBe(1);
    expect(metrics.f1_weighted).toBe(1);
  });
});

describe('regressionMetrics', () => {
  it('computes rmse, mae, r2 and mape', () => {
    const metrics = regressionMetrics([1, 2, 3, 4], [1, 2, 3, 6]);
    expect(metrics).toMatchObject({ rmse: 1, mae: 0.5, mape: 0.125 });
    expect(metrics.r2).toBeCloseTo(1 - 4 / 5, 12);
  });
});

it('leaves out ROC AUC when the rows hold one class only', () => {
  const metrics = classificationMetrics([1, 1], Float64Array.from([0.3, 0.7, 0.6, 0.4]), 2);
  expect(metrics.roc_auc).toBeUndefined();
  expect(metrics.accuracy).toBe(0.5);
});

describe('metricNames', () => {
  it('lists every metric either summary can report, and nothing else', () => {
    const classification = classificationMetrics(
      [0, 1, 2, 1],
      Float64Array.from({ length: 12 }, () => 1 / 3),
      3,
    );
    const regression = regressionMetrics([1, 2, 3], [1.5, 2, 2.5]);
    expect([...Object.keys(classification), ...Object.keys(regression)].sort()).toEqual(
      [...metricNames].sort(),
    );
  });
});
