import { describe, expect, it } from 'vitest';
import type { ModelSignature } from '../registry/version-schema';
import { readRequestRows } from './request-rows';
import { MAX_TEXT_LENGTH, validateRows } from './validate-rows';

/** Columns named like what every JavaScript object inherits, or like its prototype. */
const signature: ModelSignature = {
  inputs: [
    { name: 'age', type: 'number', nullable: false, unknownCategories: 'accept' },
    { name: 'constructor', type: 'number', nullable: true, unknownCategories: 'accept' },
  ],
  output: { task: 'regression' },
};

function validate(body: unknown) {
  const parsed = readRequestRows(body, signature);
  if (!parsed.ok) throw new Error(parsed.message);
  return validateRows(parsed.rows, signature);
}

describe('column names objects inherit', () => {
  it('a "__proto__" column is a column, not a prototype whose fields pass for the row\'s', () => {
    const body = JSON.parse(
      '{"dataframe_split":{"columns":["__proto__"],"data":[[{"age":5,"constructor":1}]]}}',
    );
    expect(validate(body)).toEqual({
      ok: false,
      problems: [
        { row: 0, column: 'age', message: 'is missing' },
        { row: 0, column: 'constructor', message: 'is missing' },
      ],
      more: 0,
    });
    const columns = JSON.parse('{"inputs":{"__proto__":[{"age":5}],"constructor":[1]}}');
    expect(validate(columns)).toEqual({
      ok: false,
      problems: [{ row: 0, column: 'age', message: 'is missing' }],
      more: 0,
    });
  });

  it('a signature column named "constructor" is missing from a row that lacks it', () => {
    expect(validate({ rows: [{ age: 1 }] })).toEqual({
      ok: false,
      problems: [{ row: 0, column: 'constructor', message: 'is missing' }],
      more: 0,
    });
    const given = validate({ dataframe_split: { columns: ['age', 'constructor'], data: [[1, 2]] } });
    expect(given.ok && [...given.columns.entries()]).toEqual([
      ['age', Float64Array.of(1)],
      ['constructor', Float64Array.of(2)],
    ]);
  });
});

describe('text values', () => {
  it('longer than 64 Ki characters are refused, naming the row and column', () => {
    const text: ModelSignature = {
      inputs: [{ name: 'note', type: 'string', nullable: false, unknownCategories: 'accept' }],
      output: { task: 'regression' },
    };
    const rows = [{ note: 'x'.repeat(MAX_TEXT_LENGTH) }, { note: 'x'.repeat(MAX_TEXT_LENGTH + 1) }];
    expect(validateRows(rows, text)).toEqual({
      ok: false,
      problems: [{ row: 1, column: 'note', message: 'is 65537 characters long; at most 65536 are taken' }],
      more: 0,
    });
  });
});
