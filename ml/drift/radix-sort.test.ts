import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random';
import { sortDoubles } from './radix-sort';

/** Same order, bit for bit where it matters: Object.is tells −0 from +0 and NaN from NaN. */
function expectSameOrder(actual: Float64Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++)
    if (!Object.is(actual[i], expected[i]))
      throw new Error(`position ${i}: ${actual[i]} instead of ${expected[i]}`);
}

describe('sortDoubles', () => {
  it('orders as the built-in sort: negatives, −0 before +0, infinities, subnormals, repeats, NaN last', () => {
    const random = seededRandom(3);
    const special = [
      Number.NaN,
      Number.NEGATIVE_INFINITY,
      Number.POSITIVE_INFINITY,
      -0,
      0,
      Number.MIN_VALUE,
      -Number.MIN_VALUE,
      Number.MAX_VALUE,
      -Number.MAX_VALUE,
      1,
      -1,
    ];
    const values = Float64Array.from({ length: 50_000 }, (_, i) =>
      i % 97 === 0
        ? (special[i % special.length] ?? 0)
        : (random() - 0.5) * 10 ** Math.floor(random() * 20 - 10),
    );
    // A NaN with its sign bit set, which a naive bit-key sort would put first.
    new DataView(values.buffer).setFloat64(8 * 5, Number.NaN);
    new Uint32Array(values.buffer)[2 * 5 + 1] = 0xfff80000;
    const expected = values.slice().sort();
    sortDoubles(values);
    expectSameOrder(values, expected);
    expect(values[values.length - 1]).toBeNaN();
  });

  it('sorts a column of one repeated value and one of a few values (digits all keys share are skipped)', () => {
    const constant = new Float64Array(10_000).fill(2.5);
    sortDoubles(constant);
    expect(constant.every((value) => value === 2.5)).toBe(true);
    const few = Float64Array.from({ length: 10_000 }, (_, i) => (i * 7) % 3);
    const expected = few.slice().sort();
    sortDoubles(few);
    expectSameOrder(few, expected);
  });

  it('sorts a view into a larger buffer without touching the rest', () => {
    const buffer = Float64Array.from({ length: 12_000 }, (_, i) => 12_000 - i);
    const view = buffer.subarray(1_000, 11_000);
    sortDoubles(view);
    expect(view[0]).toBe(1_001);
    expect(view[view.length - 1]).toBe(11_000);
    expect(buffer[0]).toBe(12_000);
    expect(buffer[11_999]).toBe(1);
  });

  it('leaves short arrays to the built-in sort', () => {
    const values = Float64Array.from([3, Number.NaN, -1, 2]);
    sortDoubles(values);
    expect(Array.from(values.subarray(0, 3))).toEqual([-1, 2, 3]);
    expect(values[3]).toBeNaN();
  });
});
