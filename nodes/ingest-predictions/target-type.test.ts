import { describe, expect, it } from 'vitest';
import { targetStorage } from './target-type';

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
