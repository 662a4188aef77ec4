import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json';

/** JSON values of every kind, nested, with keys out of order and keys that sort by code unit. */
const samples: unknown[] = [
  null,
  true,
  0,
  -0,
  1e21,
  1e-7,
  0.1 + 0.2,
  -123.456,
  Number.MAX_SAFE_INTEGER,
  '',
  'line\nbreak "quoted" \\ \u0000 \u2028 é 😀',
  [],
  {},
  [1, 'a', null, [2, [3, {}]], { z: 1, a: 2 }],
  { b: 1, a: { d: [1, 2], c: 'x' }, A: null, é: 1, '😀': 2, '\uffff': 3, '': 4, 10: 5, 9: 6 },
  // Few keys (sorted by insertion) and many (by Array.prototype.sort), in reverse order.
  Object.fromEntries(Array.from({ length: 12 }, (_, index) => [`k${12 - index}`, index])),
  Object.fromEntries(
    Array.from({ length: 40 }, (_, index) => [`key ${40 - index}`, { b: index, a: -index }]),
  ),
  JSON.parse('{"constructor": 1, "__proto__": {"toString": 2}, "hasOwnProperty": [3]}'),
  {
    type: 'clean',
    version: 1,
    config: {
      operations: [{ op: 'filter', condition: { column: 'petal_length_cm', operator: '>', value: 5 } }],
      rules: [],
    },
    inputs: { data: { hash: 'ab'.repeat(32), port: 'data' } },
  },
];

describe('canonicalJson', () => {
  it('writes what the canonicalize package writes, so stored step hashes stay valid', () => {
    for (const sample of samples) expect(canonicalJson(sample)).toBe(canonicalize(sample));
  });

  it('leaves out undefined members, writes undefined in a list as null, and uses toJSON', () => {
    const value = { b: undefined, a: [undefined, 1], at: new Date(0) };
    expect(canonicalJson(value)).toBe('{"a":[null,1],"at":"1970-01-01T00:00:00.000Z"}');
    expect(canonicalJson(value)).toBe(canonicalize(value));
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('refuses numbers JSON cannot hold', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow('NaN is not allowed in canonical JSON');
    expect(() => canonicalJson([Number.POSITIVE_INFINITY])).toThrow(
      'Infinity is not allowed in canonical JSON',
    );
  });
});
