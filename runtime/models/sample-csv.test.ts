import { describe, expect, it } from 'vitest';
import type { ImportedColumn } from '../../ml/onnx-import/rewrite';
import { parseCsv, sampleRows } from './sample-csv';
import { sampleReference } from './sample-reference';

describe('parseCsv', () => {
  it('reads quoted cells, doubled quotes, CRLF and a missing last newline', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\r\n1,\n')).toEqual({
      header: ['a', 'b'],
      rows: [
        ['x, y', 'say "hi"'],
        ['1', ''],
      ],
    });
  });

  it('refuses an empty file and a header without rows', () => {
    expect(() => parseCsv('')).toThrow('The sample CSV is empty');
    expect(() => parseCsv('a,b\n')).toThrow('The sample CSV has a header but no rows');
  });
});

describe('sampleRows', () => {
  const csv = parseCsv('size,colour,ok\n1.5,red,true\n,blue,0\n');

  it("types the cells in the graph's column order; empty is missing", () => {
    const columns: ImportedColumn[] = [
      { name: 'ok', type: 'boolean' },
      { name: 'size', type: 'number' },
      { name: 'colour', type: 'string' },
    ];
    expect(sampleRows(csv, columns).rows).toEqual([
      [true, 1.5, 'red'],
      [false, null, 'blue'],
    ]);
  });

  it('names the row and column of a cell that is not a number, and a missing column', () => {
    expect(() => sampleRows(csv, [{ name: 'colour', type: 'number' }])).toThrow(
      'Row 1 of the sample, column "colour": "red" is not a number',
    );
    expect(() => sampleRows(csv, [{ name: 'weight', type: 'number' }])).toThrow(
      'The sample CSV has no column "weight" (its columns: size, colour, ok)',
    );
  });
});

describe('sampleReference', () => {
  it("gives numbers' deciles as quantile_cont interpolates them, text frequencies and missing rates", () => {
    const reference = sampleReference({
      columns: [
        { name: 'n', type: 'number' },
        { name: 'c', type: 'string' },
      ],
      rows: Array.from({ length: 11 }, (_, index) => [
        index === 10 ? null : index * 10,
        index < 6 ? 'a' : 'b',
      ]),
    });
    // 0, 10 … 90: the 10th percentile lies 0.9 of the way from 0 to 10.
    expect(reference.n).toMatchObject({ kind: 'number', missingRate: 1 / 11 });
    const deciles = reference.n?.kind === 'number' ? reference.n.deciles : [];
    expect(deciles[0]).toBeCloseTo(9, 10);
    expect(deciles[4]).toBeCloseTo(45, 10);
    expect(reference.c).toEqual({ kind: 'category', frequencies: { a: 6 / 11, b: 5 / 11 }, missingRate: 0 });
  });
});
