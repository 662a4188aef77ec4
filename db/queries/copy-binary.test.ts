import { describe, expect, it } from 'vitest';
import { BinaryCopyTuples } from './copy-binary';

/** A binary COPY stream of tuples of text fields (null for NULL), as PostgreSQL frames it. */
function copyStream(tuples: (string | null)[][]): Buffer {
  const parts: Buffer[] = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)];
  for (const tuple of tuples) {
    const count = Buffer.alloc(2);
    count.writeInt16BE(tuple.length);
    parts.push(count);
    for (const field of tuple) {
      const length = Buffer.alloc(4);
      const bytes = field === null ? Buffer.alloc(0) : Buffer.from(field);
      length.writeInt32BE(field === null ? -1 : bytes.length);
      parts.push(length, bytes);
    }
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}

function collect(chunks: Buffer[], fields: number) {
  const seen: (string | null)[][] = [];
  const tuples = new BinaryCopyTuples(fields, (buffer, starts, lengths) => {
    seen.push(
      Array.from(starts, (start, field) => {
        const length = lengths[field] ?? -1;
        return length < 0 ? null : buffer.toString('utf8', start, start + length);
      }),
    );
  });
  for (const chunk of chunks) tuples.push(chunk);
  return { seen, complete: tuples.complete, count: tuples.tuples };
}

describe('BinaryCopyTuples', () => {
  const rows = [
    ['1', 'yes', '[1, "a"]'],
    ['2', null, ''],
    ['3', 'no', 'ünï'],
  ];
  const stream = copyStream(rows);

  it('reads every tuple, NULL and empty fields apart, and sees the trailer', () => {
    expect(collect([stream], 3)).toEqual({ seen: rows, complete: true, count: 3 });
  });

  it('puts together tuples and a header split across chunks at every byte', () => {
    for (let cut = 1; cut < stream.length; cut++) {
      const result = collect([stream.subarray(0, cut), stream.subarray(cut)], 3);
      expect([cut, result.seen, result.complete]).toEqual([cut, rows, true]);
    }
    const bytes = Array.from({ length: stream.length }, (_, index) => stream.subarray(index, index + 1));
    expect(collect(bytes, 3).seen).toEqual(rows);
  });

  it('reports a stream cut short, a stream that is not binary COPY and a tuple of another width', () => {
    expect(collect([stream.subarray(0, stream.length - 2)], 3).complete).toBe(false);
    expect(() => collect([Buffer.from('1\tyes\n'.repeat(5))], 3)).toThrow('not in PostgreSQL binary format');
    expect(() => collect([stream], 2)).toThrow('3 fields where 2 were expected');
  });
});
