import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Duck } from './duck';
import { expressionSql, parseExpression } from './expression';

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
});
