import { describe, expect, it } from 'vitest';
import { NodeInputError } from '../_kit/errors';
import { quoteIdent, quoteIdents } from './sql';

describe('quoteIdent', () => {
  it('double-quotes plain names', () => {
    expect(quoteIdent('price')).toBe('"price"');
  });

  it('doubles inner quotes so a hostile name stays one identifier', () => {
    expect(quoteIdent('x"; drop table t; --')).toBe('"x""; drop table t; --"');
  });

  it('keeps spaces, dots, keywords and non-Latin letters as they are', () => {
    expect(quoteIdents(['unit price', 'a.b', 'select', 'Größe', '価格'])).toBe(
      '"unit price", "a.b", "select", "Größe", "価格"',
    );
  });

  it('refuses empty names and NUL characters', () => {
    expect(() => quoteIdent('')).toThrow(NodeInputError);
    expect(() => quoteIdent('a\u0000b')).toThrow('contains a NUL character');
  });
});
