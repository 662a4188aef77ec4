import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Duck } from '../../nodes/_data/duck';
import { readRowsPage } from './dataset-preview';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pipewright-preview-'));
const file = path.join(dataDir, 'artifacts', 'run', 'node', '1', 'data.parquet');

beforeAll(async () => {
  mkdirSync(path.dirname(file), { recursive: true });
  const duck = await Duck.open();
  try {
    await duck.exec(
      `copy (select i as "__proto__", 'c' || i as "constructor", i * 10 as "toString",
        (9007199254740993 + i)::bigint as big, i::bigint as small
        from range(5) t(i)) to $1 (format parquet)`,
      [file],
    );
  } finally {
    duck.close();
  }
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('readRowsPage', () => {
  it('keeps columns named like object keys, and gives big integers as text and small ones as numbers', async () => {
    const page = await readRowsPage(pathToFileURL(file).href, dataDir, 3, 10);
    expect(page.total).toBe(5);
    expect(page.rows.map((row) => Object.entries(row))).toEqual([
      [
        ['__proto__', 3],
        ['constructor', 'c3'],
        ['toString', 30],
        ['big', '9007199254740996'],
        ['small', 3],
      ],
      [
        ['__proto__', 4],
        ['constructor', 'c4'],
        ['toString', 40],
        ['big', '9007199254740997'],
        ['small', 4],
      ],
    ]);
  });
});
