import { describe, expect, it } from 'vitest';
import { mainMetric } from './main-metric';

const classification = { metrics: { accuracy: 0.93, f1: 0.91, roc_auc: 0.97 }, rows: 30 };
const regression = { metrics: { rmse: 2.5, r2: 0.81 }, rows: 40 };

describe('mainMetric', () => {
  it('takes the metric of the first gate, else accuracy, else R²', () => {
    expect(mainMetric([{ summary: classification, gatedMetric: 'roc_auc' }])).toEqual({
      name: 'roc_auc',
      value: 0.97,
    });
    expect(mainMetric([{ summary: classification, gatedMetric: null }])).toEqual({
      name: 'accuracy',
      value: 0.93,
    });
    expect(mainMetric([{ summary: regression, gatedMetric: null }])).toEqual({ name: 'r2', value: 0.81 });
  });

  it('falls back when the gated metric is not measured, or is not a name', () => {
    expect(mainMetric([{ summary: regression, gatedMetric: 'accuracy' }])).toEqual({
      name: 'r2',
      value: 0.81,
    });
    expect(mainMetric([{ summary: classification, gatedMetric: 'constructor' }])).toEqual({
      name: 'accuracy',
      value: 0.93,
    });
    expect(mainMetric([{ summary: classification, gatedMetric: 42 }])).toEqual({
      name: 'accuracy',
      value: 0.93,
    });
  });

  it("resolves a gate on a parameter from the run's value, else the declared default", () => {
    const gatedMetric = { $param: 'metric' };
    const declaredParameters = [{ name: 'metric', type: 'string', default: 'f1' }];
    expect(
      mainMetric([
        { summary: classification, gatedMetric, parameters: { metric: 'roc_auc' }, declaredParameters },
      ]),
    ).toEqual({ name: 'roc_auc', value: 0.97 });
    expect(
      mainMetric([{ summary: classification, gatedMetric, parameters: {}, declaredParameters }]),
    ).toEqual({ name: 'f1', value: 0.91 });
    expect(
      mainMetric([
        {
          summary: classification,
          gatedMetric: { $param: 'constructor' },
          parameters: {},
          declaredParameters,
        },
      ]),
    ).toEqual({ name: 'accuracy', value: 0.93 });
  });

  it('reads the first evaluate step that has one, and gives null without any', () => {
    expect(
      mainMetric([
        { summary: { rows: 0 }, gatedMetric: null },
        { summary: regression, gatedMetric: 'rmse' },
      ]),
    ).toEqual({ name: 'rmse', value: 2.5 });
    expect(mainMetric([])).toBeNull();
    expect(mainMetric([{ summary: { metrics: { mae: 1 } }, gatedMetric: null }])).toBeNull();
  });
});
