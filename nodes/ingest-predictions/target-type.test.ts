import { describe, expect, it } from 'vitest';
import { feedbackLabels, targetStorage } from './target-type';

describe('targetStorage', () => {
  it('follows the feedback labels', () => {
    expect(targetStorage('regression', [1, 2])).toBe('DOUBLE');
    expect(targetStorage('classification', ['yes', 'no', null])).toBe('VARCHAR');
    expect(targetStorage('classification', [0, 1, 1])).toBe('BIGINT');
    expect(targetStorage('classification', [0.5, 1])).toBe('DOUBLE');
    expect(targetStorage('classification', [true, false])).toBe('BOOLEAN');
    expect(targetStorage('classification', [1, 'yes'])).toBe('VARCHAR');
  });
});

describe('feedbackLabels', () => {
  it('turns the log’s text back into the signature’s labels, keeps unknown classes as text, and reads NaN as missing', () => {
    expect(
      feedbackLabels(
        { task: 'classification', labels: ['1', '0', null, '7'] },
        { task: 'classification', labels: [0, 1] },
      ),
    ).toEqual([1, 0, null, '7']);
    expect(
      feedbackLabels(
        { task: 'classification', labels: ['true', 'false'] },
        { task: 'classification', labels: [false, true] },
      ),
    ).toEqual([true, false]);
    expect(
      feedbackLabels(
        { task: 'regression', values: Float64Array.from([1.5, Number.NaN]) },
        { task: 'regression' },
      ),
    ).toEqual([1.5, null]);
  });
});
