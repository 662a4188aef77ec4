import { describe, expect, it } from 'vitest';
import { EmbeddingRequestError, embeddingTarget, safeFileStem } from './embedding-archive';

describe('the embedding archive', () => {
  it('names the download only with letters, digits, dots, dashes and underscores', () => {
    expect(safeFileStem('churn.v2_model-x')).toBe('churn.v2_model-x');
    expect(safeFileStem('a"; filename=evil.exe\r\nx: y')).toBe('a-filename-evil.exe-x-y');
    expect(safeFileStem('../..')).toBe('model');
    expect(safeFileStem('.hidden')).toBe('hidden');
    expect(safeFileStem('x'.repeat(300))).toHaveLength(100);
  });

  it("reads the path's name and version, and refuses either with the sentence a 400 carries", () => {
    expect(embeddingTarget({ name: ' churn ', n: '12' })).toEqual({ name: 'churn', version: 12 });
    const refusal = (params: { name: string; n: string }) => {
      try {
        embeddingTarget(params);
      } catch (error) {
        if (error instanceof EmbeddingRequestError) return [error.status, error.message];
      }
      return undefined;
    };
    expect(refusal({ name: '../x', n: '1' })).toEqual([
      400,
      'name: A model name has 1 to 100 letters, digits, dots, dashes or underscores, and starts with a letter or digit.',
    ]);
    for (const n of ['0', '01', '-1', '1.5', '1e3', '99999999999', ''])
      expect(refusal({ name: 'churn', n })).toEqual([
        400,
        'The version in the path must be a whole number from 1.',
      ]);
  });
});
