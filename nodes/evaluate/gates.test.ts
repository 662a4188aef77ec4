import { describe, expect, it } from 'vitest';
import { checkGates } from './gates';
import { gateSchema } from './spec';

describe('checkGates', () => {
  it('treats a metric named like a built-in object key as unknown, not as Object.prototype', () => {
    const gates = ['constructor', 'toString', 'hasOwnProperty', '__proto__'].map((metric) =>
      gateSchema.parse({ metric, operator: '>=', value: 0, compare: 'production' }),
    );
    const results = checkGates(gates, { accuracy: 0.9 }, new Map(), { accuracy: 0.8 });
    expect(results.map((result) => [result.passed, result.measured, result.note])).toEqual(
      ['constructor', 'toString', 'hasOwnProperty', '__proto__'].map((metric) => [
        false,
        null,
        `No metric "${metric}" here (accuracy)`,
      ]),
    );
  });
});
