import { describe, expect, it } from 'vitest';
import { signatureOf } from './signature';

describe('signatureOf', () => {
  it('types each graph input, lists known categories with the unknown-category policy, and marks missing values', () => {
    const signature = signatureOf({
      columns: [
        { name: 'age', kind: 'number' },
        { name: 'member', kind: 'number', boolean: true },
        { name: 'city', kind: 'string' },
        { name: 'plan', kind: 'string' },
        { name: 'size', kind: 'string' },
        { name: 'note', kind: 'string' },
      ],
      transforms: {
        version: 1,
        steps: [
          { op: 'impute', column: 'age', strategy: 'median', value: 40 },
          { op: 'one_hot', column: 'city', categories: ['Oslo', 'Lima'], other: true },
          { op: 'one_hot', column: 'plan', categories: ['basic', 'pro'], other: false },
          { op: 'ordinal', column: 'size', categories: ['S', 'M', 'L'] },
        ],
      },
      missingRates: new Map([
        ['member', 0.1],
        ['city', 0],
      ]),
      output: { task: 'classification', labels: ['no', 'yes'] },
    });
    expect(signature).toEqual({
      inputs: [
        { name: 'age', type: 'number', unknownCategories: 'accept', nullable: true },
        { name: 'member', type: 'boolean', unknownCategories: 'accept', nullable: true },
        {
          name: 'city',
          type: 'string',
          categories: ['Oslo', 'Lima'],
          unknownCategories: 'accept',
          nullable: false,
        },
        {
          name: 'plan',
          type: 'string',
          categories: ['basic', 'pro'],
          unknownCategories: 'reject',
          nullable: false,
        },
        {
          name: 'size',
          type: 'string',
          categories: ['S', 'M', 'L'],
          unknownCategories: 'accept',
          nullable: false,
        },
        { name: 'note', type: 'string', unknownCategories: 'accept', nullable: false },
      ],
      output: { task: 'classification', labels: ['no', 'yes'] },
    });
  });
});
