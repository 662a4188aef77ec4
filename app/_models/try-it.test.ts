import { describe, expect, it } from 'vitest';
import type { ModelSignature } from '../../registry/version-schema';
import { answerOf, fieldKind, initialValues, rankedProbabilities, rowOf } from './try-it';

const signature: ModelSignature = {
  inputs: [
    { name: 'age', type: 'number', unknownCategories: 'accept', nullable: true },
    {
      name: 'plan',
      type: 'string',
      categories: ['basic', 'pro'],
      unknownCategories: 'reject',
      nullable: false,
    },
    { name: 'note', type: 'string', unknownCategories: 'accept', nullable: true },
    { name: 'active', type: 'boolean', unknownCategories: 'accept', nullable: false },
  ],
  output: { task: 'classification', labels: ['no', 'yes'] },
};

describe('the Try it form', () => {
  it('gives each column its field and a starting value', () => {
    expect(signature.inputs.map(fieldKind)).toEqual(['number', 'category', 'text', 'boolean']);
    expect(initialValues(signature)).toEqual({ age: '', plan: 'basic', note: '', active: 'true' });
  });

  it('sends numbers as numbers, empty fields as null, and what is not a number as typed', () => {
    expect(rowOf(signature, { age: '41.5', plan: 'pro', note: ' ', active: 'false' })).toEqual({
      age: 41.5,
      plan: 'pro',
      note: null,
      active: false,
    });
    expect(rowOf(signature, { age: 'forty', plan: 'pro', note: 'hi', active: 'true' }).age).toBe('forty');
  });

  it('reads predictions, problems by row and column, and answers it does not know', () => {
    const answer = answerOf(200, {
      model: 'churn',
      version: 2,
      requestId: 'r1',
      predictions: [{ id: 'p1', label: 'yes', probabilities: { no: 0.2, yes: 0.8 } }],
    });
    expect(answer).toMatchObject({ ok: true, version: 2, predictions: [{ label: 'yes' }] });
    expect(rankedProbabilities({ no: 0.2, yes: 0.8 })).toEqual([
      ['yes', 0.8],
      ['no', 0.2],
    ]);
    expect(
      answerOf(400, {
        error: 'The rows do not match',
        problems: [{ row: 0, column: 'plan', message: 'is unknown' }],
      }),
    ).toEqual({
      ok: false,
      status: 400,
      message: 'The rows do not match',
      problems: [{ row: 0, column: 'plan', message: 'is unknown' }],
    });
    expect(answerOf(502, '<html>')).toEqual({
      ok: false,
      status: 502,
      message: 'The request failed with HTTP status 502.',
      problems: [],
    });
  });
});
