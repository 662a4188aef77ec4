import { describe, expect, it } from 'vitest';
import { NodeInputError } from '../_kit/errors';
import { monitorDriftSpec } from './spec';
import { thresholdsByFeature } from './thresholds';

const config = (featureThresholds: { feature: string; psiWarn: number; psiAlert: number }[] = []) => ({
  psiWarn: 0.1,
  psiAlert: 0.2,
  featureThresholds,
});

describe('thresholdsByFeature', () => {
  it("gives each feature the step's thresholds unless it has its own", () => {
    const thresholds = thresholdsByFeature(config([{ feature: 'income', psiWarn: 0.3, psiAlert: 0.5 }]), [
      'age',
      'income',
    ]);
    expect(Object.fromEntries(thresholds)).toEqual({
      age: { psiWarn: 0.1, psiAlert: 0.2 },
      income: { psiWarn: 0.3, psiAlert: 0.5 },
    });
  });

  it('fails naming the entry when an override names a column the model does not take', () => {
    const thresholds = () =>
      thresholdsByFeature(
        config([
          { feature: 'age', psiWarn: 0.1, psiAlert: 0.2 },
          { feature: 'incme', psiWarn: 0.3, psiAlert: 0.5 },
        ]),
        ['age', 'income'],
      );
    expect(thresholds).toThrow(NodeInputError);
    expect(thresholds).toThrow(
      'Per-feature thresholds name "incme", which is not an input of the model (its inputs: age, income)',
    );
    try {
      thresholds();
    } catch (error) {
      expect(error instanceof NodeInputError && error.details).toEqual({
        field: 'featureThresholds.1.feature',
        column: 'incme',
      });
    }
  });
});

describe('the monitor.drift config', () => {
  it('has the defaults of the issue: registry reference, the last 24 hours, PSI 0.1 and 0.2, half the features; performance judged on 30 labelled predictions, alerting 0.05 below the test figure', () => {
    expect(monitorDriftSpec.config.parse({ model: 'churn' })).toEqual({
      model: 'churn',
      reference: 'registry',
      windowLength: 24,
      windowUnit: 'hours',
      psiWarn: 0.1,
      psiAlert: 0.2,
      featureThresholds: [],
      driftShare: 0.5,
      measurePerformance: true,
      maxMetricDrop: 0.05,
      maxErrorRise: 0.2,
      currentWindow: 'last',
      minLabelled: 30,
      performanceDays: 7,
    });
  });

  it('refuses, naming the field, thresholds in the wrong order, a repeated feature, a share of 0 and an empty window', () => {
    const issues = (config: Record<string, unknown>) =>
      monitorDriftSpec.config
        .safeParse({ model: 'churn', ...config })
        .error?.issues.map((issue) => [issue.path.join('.'), issue.message]);
    expect(issues({ psiWarn: 0.3, psiAlert: 0.2 })).toEqual([
      ['psiWarn', 'The warning threshold must not be above the alert threshold'],
    ]);
    expect(issues({ featureThresholds: [{ feature: 'age', psiWarn: 0.5, psiAlert: 0.2 }] })).toEqual([
      ['featureThresholds.0.psiWarn', 'The warning threshold must not be above the alert threshold'],
    ]);
    expect(issues({ featureThresholds: [{ feature: 'age' }, { feature: 'age' }] })).toEqual([
      ['featureThresholds', 'Each feature may have one set of thresholds'],
    ]);
    expect(issues({ driftShare: 0 })).toEqual([['driftShare', 'The share is more than 0']]);
    expect(issues({ windowLength: 0 })).toEqual([['windowLength', 'The window is longer than 0']]);
    expect(issues({ model: 'no spaces allowed' })?.[0]?.[0]).toBe('model');
  });
});
