import { describe, expect, it } from 'vitest';
import { type ColumnSink, parseNumber, readJsonArrayRow, sinkFor } from './json-array-columns';

function read(rows: string[], kinds: ('number' | 'boolean' | 'string')[]) {
  const sinks: ColumnSink[] = kinds.map((kind) => sinkFor(kind, 1));
  rows.forEach((text, row) => {
    const buffer = Buffer.from(text, 'utf8');
    readJsonArrayRow(buffer, 0, buffer.length, row, sinks);
  });
  return sinks.map((sink) =>
    sink.kind === 'string' ? sink.finish(rows.length) : Array.from(sink.finish(rows.length)),
  );
}

describe('readJsonArrayRow', () => {
  it('reads numbers, booleans and text by position, missing as NaN and null', () => {
    const columns = read(
      ['[1.5, "pro", true]', '[null, null, false]', '[-2, "a\\"b\\\\c\\u00e9", 1]', '[3]', '[]'],
      ['number', 'string', 'boolean'],
    );
    expect(columns).toEqual([
      [1.5, Number.NaN, -2, 3, Number.NaN],
      ['pro', null, 'a"b\\cé', null, null],
      [1, 0, 1, Number.NaN, Number.NaN],
    ]);
  });

  it('counts a value of the wrong kind or a nested value as missing, and skips positions beyond the columns', () => {
    const columns = read(
      ['["x", 2, [1, "]", {"a": [2]}], 7, "extra", {"b": 1}]'],
      ['number', 'string', 'number', 'boolean'],
    );
    expect(columns).toEqual([[Number.NaN], [null], [Number.NaN], [Number.NaN]]);
  });

  it('decodes text that is not ASCII, and repeated categories to the same strings', () => {
    const columns = read(['["ünï 東京"]', '["ünï 東京"]', '["ünï 東"]'], ['string']);
    expect(columns).toEqual([['ünï 東京', 'ünï 東京', 'ünï 東']]);
  });

  it('refuses bytes that are not an array', () => {
    expect(() => read(['{"a": 1}'], ['number'])).toThrow('not a JSON array');
    expect(() => read(['[1 2]'], ['number', 'number'])).toThrow('not a well-formed JSON array');
  });
});

describe('parseNumber', () => {
  it('gives the same double as Number() for what jsonb prints', () => {
    const texts = [
      '0',
      '-0',
      '12.3456',
      '0.1',
      '0.30000000000000004',
      '123456789012345',
      '1234567890123456789',
      '0.000000000000000000000001',
      '1e21',
      '1.5E-7',
      '-987.650',
      '9007199254740993',
      `1${'0'.repeat(300)}`,
    ];
    for (const text of texts) {
      const buffer = Buffer.from(text);
      expect([text, parseNumber(buffer, 0, buffer.length)]).toEqual([text, Number(text)]);
    }
    for (let i = 0; i < 2000; i++) {
      const text = ((Math.random() - 0.5) * 10 ** Math.floor(Math.random() * 12)).toFixed(
        Math.floor(Math.random() * 8),
      );
      const buffer = Buffer.from(text);
      expect([text, parseNumber(buffer, 0, buffer.length)]).toEqual([text, Number(text)]);
    }
  });

  it('reads a number beyond a double as missing', () => {
    const buffer = Buffer.from(`1${'0'.repeat(400)}`);
    expect(parseNumber(buffer, 0, buffer.length)).toBeNaN();
  });
});
