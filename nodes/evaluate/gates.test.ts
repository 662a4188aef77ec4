import { describe, expect, it } from 'vitest';
import { checkGates } from './gates';
import { gateSchema } from './spec';

describe('checkGates', () => {
  it('treats a metric named like a built-in object key as unknown, not as Object.prototype', () => {
    const gates = ['constructor', 'toString', 'hasOwnProperty', '__proto__'].map((metric) =>
      gateSchema.parse({ metric, operator: '>=', value: 0, compare: 'production' }),
    );
    const results = checkGates(gates, { accuracy: 0.9 }, new Map(), {
      metrics: { accuracy: 0.8 },
      label: 'churn version 1',
    });
    expect(results.map((result) => [result.passed, result.measured, result.note])).toEqual(
      ['constructor', 'toString', 'hasOwnProperty', '__proto__'].map((metric) => [
        false,
        null,
        `No metric "${metric}" here (accuracy)`,
      ]),
    );
  });

  it('compares with the production version by a margin, naming the version and its figure', () => {
    const gates = [0.05, 0.2].map((value) =>
      gateSchema.parse({ metric: 'accuracy', operator: '>=', value, compare: 'production' }),
    );
    const production = { metrics: { accuracy: 0.8 }, label: 'churn version 3' };
    const results = checkGates(gates, { accuracy: 0.9 }, new Map(), production);
    expect(results.map(({ passed, threshold, note }) => ({ passed, threshold, note }))).toEqual([
      { passed: true, threshold: 0.8 + 0.05, note: 'churn version 3 in production measured 0.8' },
      { passed: false, threshold: 0.8 + 0.2, note: 'churn version 3 in production measured 0.8' },
    ]);
  });
});
