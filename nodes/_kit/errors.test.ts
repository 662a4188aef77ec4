import { describe, expect, it } from 'vitest';
import { dataErrorOf, NodeInputError, shownValue } from './errors';

describe('dataErrorOf', () => {
  it("turns DuckDB's conversion and range errors into input errors naming the value and column, without SQL", () => {
    const conversion = dataErrorOf(
      new Error(
        "Conversion Error: Could not convert string 'a' to DOUBLE when casting from source column y\n\nLINE 1: select * from step_2 where y = getvariable('pw_1')\n        ^",
      ),
    );
    expect(conversion).toBeInstanceOf(NodeInputError);
    expect(conversion?.message).toBe(
      `A value in the data cannot be used: Could not convert string 'a' to DOUBLE (column "y")`,
    );
    expect(conversion?.details).toEqual({ column: 'y' });
    expect(dataErrorOf(new Error('Out of Range Error: STDDEV_POP is out of range!'))?.message).toBe(
      'A value in the data cannot be used: STDDEV_POP is out of range!',
    );
  });

  it('leaves faults and errors already meant for the analyst alone', () => {
    expect(dataErrorOf(new Error('IO Error: Could not set lock on file'))).toBeUndefined();
    expect(dataErrorOf(new Error('Connection reset'))).toBeUndefined();
    expect(dataErrorOf(new NodeInputError('Conversion Error: x'))).toBeUndefined();
    expect(dataErrorOf('Conversion Error: x')).toBeUndefined();
  });
});

describe('shownValue', () => {
  it('quotes a short value whole and a long one by its head and length', () => {
    expect(shownValue('x7')).toBe('"x7"');
    expect(shownValue('a'.repeat(9000))).toBe(`"${'a'.repeat(60)}…" (9,000 characters)`);
    const long = dataErrorOf(
      new Error(`Conversion Error: Could not convert string '${'b'.repeat(9000)}' to DOUBLE`),
    );
    expect(long?.message).toBe(
      `A value in the data cannot be used: ${`Could not convert string '${'b'.repeat(9000)}`.slice(0, 300)}… (cut)`,
    );
  });
});
