import { describe, expect, it } from 'vitest';
import { feedbackProblemsSentence, MAX_FEEDBACK_ITEMS, readFeedbackBody } from './feedback-body';
import { checkLabel } from './feedback-labels';

const ID = '0b7c6a52-3f5e-4c1d-9a2b-8e4f6d1c2a3b';

describe('feedback bodies', () => {
  it('reads a batch and a single item, lower-casing ids', () => {
    const batch = readFeedbackBody({ feedback: [{ predictionId: ID.toUpperCase(), label: 'yes' }] });
    expect(batch).toMatchObject({ ok: true, items: [{ predictionId: ID, label: 'yes' }] });
    if (batch.ok) expect(batch.fieldOf(4)).toBe('feedback[4].label');
    const single = readFeedbackBody({ predictionId: ID, label: 2.5 });
    expect(single).toMatchObject({ ok: true, items: [{ predictionId: ID, label: 2.5 }] });
    if (single.ok) expect(single.fieldOf(0)).toBe('label');
  });

  it('names each problem by its field', () => {
    const read = readFeedbackBody({
      feedback: [
        { predictionId: ID, label: 'yes' },
        { predictionId: 'not-an-id', label: 'yes' },
        { predictionId: ID, label: null },
        { predictionId: ID },
        { predictionId: ID, label: 'x'.repeat(1_001) },
      ],
    });
    expect(read).toEqual({
      ok: false,
      more: 0,
      problems: [
        {
          field: 'feedback[1].predictionId',
          message: 'must be a prediction id (a UUID from a prediction answer)',
        },
        { field: 'feedback[2].label', message: 'must be a string, a number or true/false' },
        { field: 'feedback[3].label', message: 'is required' },
        { field: 'feedback[4].label', message: 'must be at most 1,000 characters' },
      ],
    });
    if (!read.ok)
      expect(feedbackProblemsSentence(read.problems, read.more)).toBe(
        'feedback[1].predictionId: must be a prediction id (a UUID from a prediction answer); feedback[2].label: must be a string, a number or true/false; feedback[3].label: is required; feedback[4].label: must be at most 1,000 characters',
      );
  });

  it('refuses an empty or oversized batch, and a body that is no object', () => {
    expect(readFeedbackBody({ feedback: [] })).toMatchObject({
      problems: [{ field: 'feedback', message: 'must hold at least one item' }],
    });
    const many = Array.from({ length: MAX_FEEDBACK_ITEMS + 1 }, () => ({ predictionId: ID, label: 1 }));
    expect(readFeedbackBody({ feedback: many })).toMatchObject({
      problems: [{ field: 'feedback', message: expect.stringMatching(/^must hold at most 10,000 items/) }],
    });
    expect(readFeedbackBody({ feedback: 'yes' })).toMatchObject({
      problems: [{ field: 'feedback', message: 'must be a list of {"predictionId", "label"} objects' }],
    });
    expect(readFeedbackBody([1])).toMatchObject({ problems: [{ field: 'body' }] });
    expect(readFeedbackBody({})).toMatchObject({
      problems: [
        { field: 'predictionId', message: 'is required' },
        { field: 'label', message: 'is required' },
      ],
    });
  });

  it('caps the problems listed and counts the rest', () => {
    const bad = Array.from({ length: 60 }, () => ({ predictionId: 'x', label: 1 }));
    const read = readFeedbackBody({ feedback: bad });
    expect(read).toMatchObject({ ok: false, more: 10 });
    if (!read.ok) {
      expect(read.problems).toHaveLength(50);
      expect(feedbackProblemsSentence(read.problems, read.more)).toMatch(/; and 55 more problems$/);
    }
  });
});

describe('feedback labels', () => {
  const classifier = { task: 'classification' as const, labels: ['yes', 'no'] };
  const numbered = { task: 'classification' as const, labels: [0, 1] };

  it('takes a known class, stored as the signature spells it', () => {
    expect(checkLabel('no', classifier)).toEqual({ ok: true, label: 'no' });
    expect(checkLabel('1', numbered)).toEqual({ ok: true, label: 1 });
    expect(checkLabel(true, { task: 'classification', labels: ['true', 'false'] })).toEqual({
      ok: true,
      label: 'true',
    });
    expect(checkLabel('anything', { task: 'classification', labels: [] })).toEqual({
      ok: true,
      label: 'anything',
    });
  });

  it('names the classes of a classifier, and wants a finite number for a regression', () => {
    expect(checkLabel('maybe', classifier)).toEqual({ ok: false, message: 'must be one of "yes", "no"' });
    expect(checkLabel(2, numbered)).toEqual({ ok: false, message: 'must be one of 0, 1' });
    const many = { task: 'classification' as const, labels: Array.from({ length: 12 }, (_, i) => `c${i}`) };
    expect(checkLabel('z', many)).toMatchObject({
      message: expect.stringMatching(/"c9" \(or one of 2 more classes\)$/),
    });
    const regression = { task: 'regression' as const };
    expect(checkLabel(3.5, regression)).toEqual({ ok: true, label: 3.5 });
    expect(checkLabel('3.5', regression)).toEqual({
      ok: false,
      message: 'must be a number (the true value)',
    });
    expect(checkLabel(Number.POSITIVE_INFINITY, regression)).toEqual({
      ok: false,
      message: 'must be a finite number',
    });
  });
});
