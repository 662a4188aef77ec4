import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Duck } from './duck';
import { expressionSql, MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH, parseExpression } from './expression';

const columns = ['price', 'qty', 'unit price', 'x"; drop table t; --'];
let duck: Duck;
beforeAll(async () => {
  duck = await Duck.open();
  await duck.exec(
    `create table t as select 4.0 as price, 3 as qty, 2.5 as "unit price", 10 as "x""; drop table t; --"`,
  );
});
afterAll(() => duck.close());

async function evaluate(text: string): Promise<unknown> {
  const params: number[] = [];
  const bind = (value: unknown) => {
    params.push(Number(value));
    return `$${params.length}`;
  };
  const sql = expressionSql(parseExpression(text, columns, 'expression'), bind);
  return (await duck.one(`select ${sql} as value from t`, params)).value;
}

describe('expressions', () => {
  it('evaluates arithmetic with the usual precedence, power binding tightest and to the right', async () => {
    expect(await evaluate('price * qty + 1')).toBe(13);
    // As in a spreadsheet, a leading minus belongs to the number: -3 ^ 2 is 9.
    expect(await evaluate('-qty ^ 2')).toBe(9);
    expect(await evaluate('2 ^ 3 ^ 2')).toBe(512);
    expect(await evaluate('(price - 1) / qty')).toBe(1);
    expect(await evaluate('max(price, qty) + min(price, qty)')).toBe(7);
    expect(await evaluate('round(sqrt(price) * 10) % 7')).toBe(6);
  });

  it('reaches any column through col(), hostile names included', async () => {
    expect(await evaluate('col("unit price") * 2')).toBe(5);
    expect(await evaluate('col("x\\"; drop table t; --") + 1')).toBe(11);
  });

  it('rejects anything but arithmetic, with the position where it goes wrong', () => {
    expect(() => parseExpression('price + * qty', columns, 'expression')).toThrow(
      'Expression "price + * qty": Expected expression after + at position 9',
    );
    expect(() => parseExpression('price && qty', columns, 'expression')).toThrow(/at position 7$/);
    expect(() => parseExpression('price; drop table t', columns, 'expression')).toThrow(
      'compound is not allowed at position 6',
    );
    expect(() => parseExpression('"text" + 1', columns, 'expression')).toThrow(
      'only numbers are allowed, not "text" at position 1',
    );
    expect(() => parseExpression('price.constructor', columns, 'expression')).toThrow(
      'member is not allowed at position 6',
    );
  });

  it('names unknown columns and functions', () => {
    expect(() => parseExpression('cost * 2', columns, 'expression')).toThrow('there is no column "cost"');
    expect(() => parseExpression('system(1)', columns, 'expression')).toThrow(/unknown function system\(\)/);
    expect(() => parseExpression('log(1, 2)', columns, 'expression')).toThrow('log() takes 1 argument');
  });

  it('refuses names of built-in object members as functions, and takes them as columns', async () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf']) {
      expect(() => parseExpression(`${name}(price)`, columns, 'expression')).toThrow(
        `unknown function ${name}(); use log, log10, sqrt, abs, exp, round, min, max or col()`,
      );
      expect(() => parseExpression(`${name} + 1`, columns, 'expression')).toThrow(
        `there is no column "${name}"`,
      );
    }
    const named = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];
    const tree = parseExpression('constructor + col("__proto__") * toString - hasOwnProperty', named, 'e');
    expect(expressionSql(tree, () => '?')).toBe(
      '(("constructor"::double + ("__proto__"::double * "toString"::double)) - "hasOwnProperty"::double)',
    );
  });
});

describe('expression limits', () => {
  const terms = (count: number) => Array.from({ length: count }, () => 'price').join(' + ');

  it('refuses a 12,000-term expression by its length, on the field, without touching the stack', () => {
    const text = terms(12_000);
    expect(() => parseExpression(text, columns, 'operations.0.expression')).toThrow(
      expect.objectContaining({
        name: 'NodeInputError',
        details: { field: 'operations.0.expression' },
        message:
          'Expression is 95,997 characters long; the limit is 4,000. Split it into several derived columns.',
      }),
    );
  });

  it('refuses an expression nested deeper than the limit, and takes one at the limit', async () => {
    expect(MAX_EXPRESSION_LENGTH).toBe(4000);
    expect(MAX_EXPRESSION_DEPTH).toBe(100);
    // n terms joined by + make a tree n levels deep: n - 1 operators over a column.
    expect(parseExpression(terms(100), columns, 'expression').type).toBe('BinaryExpression');
    expect(await evaluate(terms(100))).toBe(400);
    expect(() => parseExpression(terms(101), columns, 'expression')).toThrow(
      /^Expression "price \+ price .*\.\.\." is nested 101 levels deep \(each operator, sign or function adds one\); the limit is 100\. Split it into several derived columns\.$/,
    );
    const signs = `${'-'.repeat(3000)}price`;
    expect(() => parseExpression(signs, columns, 'expression')).toThrow(
      /nested (more than 100|3001) levels deep/,
    );
  });
});
