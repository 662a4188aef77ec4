import { describe, expect, it } from 'vitest';
import { emptyForm, filtersOf, isFiltered, rangeOf, statusOf } from './run-filters';

describe('the Runs page filters', () => {
  it('sends nothing for an empty form', () => {
    expect(filtersOf(emptyForm)).toEqual({
      filters: { pipelineId: undefined, status: undefined, trigger: undefined },
    });
    expect(isFiltered(emptyForm)).toBe(false);
  });

  it('counts a preset range back from when it was chosen', () => {
    const chosen = Date.UTC(2026, 11, 7, 12);
    const { filters } = filtersOf({ ...emptyForm, range: 'week', rangeChosenAt: chosen });
    expect(filters.from).toEqual(new Date(Date.UTC(2026, 10, 30, 12)));
    expect(filters.to).toBeUndefined();
  });

  it('takes a custom range and refuses one that ends before it starts', () => {
    const form = { ...emptyForm, range: 'custom' as const, customFrom: '2026-01-02T10:00', customTo: '' };
    expect(filtersOf(form).filters.from).toEqual(new Date('2026-01-02T10:00'));
    expect(filtersOf({ ...form, customTo: '2026-01-01T10:00' }).problem).toBe(
      'The range must start before it ends.',
    );
  });

  it('sends the metric threshold as a number, and names a threshold that is not one', () => {
    expect(filtersOf({ ...emptyForm, comparison: 'above', threshold: '0.9' }).filters.metric).toEqual({
      comparison: 'above',
      value: 0.9,
    });
    for (const threshold of ['', 'high', 'Infinity']) {
      const answer = filtersOf({ ...emptyForm, comparison: 'below', threshold });
      expect(answer.problem).toBe('The metric threshold must be a number, e.g. 0.9.');
      expect(answer.filters.metric).toBeUndefined();
    }
  });

  it('reads select values back, unknown ones as "any"', () => {
    expect(statusOf('failed')).toBe('failed');
    expect(statusOf('lost')).toBe('');
    expect(rangeOf('month')).toBe('month');
    expect(rangeOf('constructor')).toBe('any');
  });
});
