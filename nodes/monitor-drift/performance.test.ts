import { describe, expect, it } from 'vitest';
import { measurePerformance, performanceSubjects } from './performance';

const rules = { metrics: ['accuracy', 'f1'], maxDrop: 0.05, maxRise: 0.2, minLabelled: 4 };

describe('measurePerformance', () => {
  it('measures labels against the test figures: a drop past test − 0.05 alerts, past half of it warns', () => {
    // 8 of 10 right: accuracy 0.8; positive class "yes": 3 true positives, 1 false positive, 1 false negative.
    const truth = ['yes', 'yes', 'yes', 'yes', 'no', 'no', 'no', 'no', 'no', 'no'];
    const predicted = ['yes', 'yes', 'yes', 'no', 'yes', 'no', 'no', 'no', 'no', 'no'];
    const performance = measurePerformance(
      { task: 'classification', labels: ['no', 'yes'], truth, predicted },
      { accuracy: 0.9, f1: 0.76 },
      rules,
    );
    expect(performance.labelled).toBe(10);
    expect(performance.metrics.accuracy).toBeCloseTo(0.8, 12);
    expect(performance.metrics.precision).toBeCloseTo(0.75, 12);
    expect(performance.metrics.recall).toBeCloseTo(0.75, 12);
    expect(performance.metrics.f1).toBeCloseTo(0.75, 12);
    expect(performance.checks).toEqual([
      {
        metric: 'accuracy',
        value: expect.closeTo(0.8, 12),
        test: 0.9,
        threshold: expect.closeTo(0.85, 12),
        state: 'alert',
      },
      {
        metric: 'f1',
        value: expect.closeTo(0.75, 12),
        test: 0.76,
        threshold: expect.closeTo(0.71, 12),
        state: 'ok',
      },
    ]);
    expect(performance.state).toBe('alert');
    expect(performanceSubjects(performance)).toEqual([
      { subject: 'accuracy', kind: 'performance', state: 'alert' },
      { subject: 'f1', kind: 'performance', state: 'ok' },
    ]);
  });

  it('leaves out precision, recall and F1 when neither side has a positive answer, instead of scoring 0', () => {
    const noes = ['no', 'no', 'no', 'no', 'no'];
    const performance = measurePerformance(
      { task: 'classification', labels: ['no', 'yes'], truth: noes, predicted: noes },
      { accuracy: 0.9, f1: 0.76 },
      rules,
    );
    expect(performance.metrics).toEqual({ accuracy: 1 });
    expect(performance.checks[1]).toEqual({
      metric: 'f1',
      value: null,
      test: 0.76,
      threshold: null,
      state: 'ok',
    });
  });

  it('warns between test − drop and test − drop / 2, and judges nothing below the minimum labelled', () => {
    const truth = ['a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c', 'a'];
    const predicted = ['a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c', 'b'];
    const warned = measurePerformance(
      { task: 'classification', labels: ['a', 'b', 'c'], truth, predicted },
      { accuracy: 0.93 },
      { ...rules, metrics: ['accuracy'] },
    );
    expect(warned.checks[0]).toMatchObject({ value: 0.9, state: 'warn' });
    const few = measurePerformance(
      {
        task: 'classification',
        labels: ['a', 'b', 'c'],
        truth: truth.slice(0, 3),
        predicted: ['b', 'c', 'a'],
      },
      { accuracy: 0.93 },
      { ...rules, metrics: ['accuracy'] },
    );
    expect(few.checks[0]).toMatchObject({ value: 0, state: 'ok' });
    expect(few.state).toBe('ok');
    expect(few.judged).toBe(false);
    // Unjudged: no subjects, so its alerts are neither kept nor closed by this check.
    expect(performanceSubjects(few)).toEqual([]);
  });

  it('counts a true label the model does not know as wrong, and leaves unmeasured metrics unjudged', () => {
    const performance = measurePerformance(
      {
        task: 'classification',
        labels: ['no', 'yes'],
        truth: ['maybe', 'yes', 'no', 'no'],
        predicted: ['no', 'yes', 'no', 'no'],
      },
      {},
      rules,
    );
    expect(performance.metrics.accuracy).toBe(0.75);
    expect(performance.checks.every((check) => check.state === 'ok' && check.threshold === null)).toBe(true);
  });

  it('judges errors by a relative rise: RMSE 20 % above the test figure alerts', () => {
    const truth = Float64Array.from([1, 2, 3, 4]);
    const performance = measurePerformance(
      { task: 'regression', truth, predicted: Float64Array.from([2, 3, 4, 5]) },
      { rmse: 0.8, mae: 0.95 },
      { ...rules, metrics: ['rmse', 'mae'] },
    );
    expect(performance.metrics.rmse).toBeCloseTo(1, 12);
    expect(performance.checks).toEqual([
      {
        metric: 'rmse',
        value: expect.closeTo(1, 12),
        test: 0.8,
        threshold: expect.closeTo(0.96, 12),
        state: 'alert',
      },
      {
        metric: 'mae',
        value: expect.closeTo(1, 12),
        test: 0.95,
        threshold: expect.closeTo(1.14, 12),
        state: 'ok',
      },
    ]);
  });
});
