import { describe, expect, it } from 'vitest';
import { NodeInputError } from '../_kit/errors';
import { checkAppendColumns } from './union';

describe('checkAppendColumns', () => {
  const logged = ['x1', 'x2', 'label'];

  it('accepts the same columns in any order', () => {
    expect(() => checkAppendColumns(logged, ['label', 'x2', 'x1'])).not.toThrow();
  });

  it('names a missing column, then an extra one', () => {
    expect(() => checkAppendColumns(logged, ['x1', 'label'])).toThrow(
      'The added training rows have no column "x2": they need the model\'s input columns and the target (x1, x2, label)',
    );
    try {
      checkAppendColumns(logged, ['x1', 'x2', 'label', '_split']);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(NodeInputError);
      expect(error instanceof NodeInputError && error.details).toEqual({ field: 'append', column: '_split' });
      expect(error instanceof Error && error.message).toContain(
        'have a column "_split" the logged predictions do not',
      );
    }
  });
});
