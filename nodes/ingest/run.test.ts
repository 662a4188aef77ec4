import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NodeHarness } from '../../tests/support/node-harness';
import { datasetSchemaSchema } from '../_data/dataset-schema';
import { Duck } from '../_data/duck';
import { type DatasetProfile, datasetProfileSchema } from '../_data/profile';
import { nodeRuns } from '../runs';
import { sampleColumns } from './sample-columns';

const harness = new NodeHarness();
afterAll(() => harness.cleanup());

const ingest = (config: Record<string, unknown>) => harness.run(nodeRuns.ingest, config);

/** Writes a file inside the harness's DATA_DIR and returns its path relative to it. */
function dataFile(name: string, content: string | Buffer): string {
  const file = path.join(harness.dataDir, 'uploads', name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return `uploads/${name}`;
}

async function readRows(uri: string): Promise<Record<string, unknown>[]> {
  const duck = await Duck.open();
  try {
    return await duck.all('select * from read_parquet($1)', [new URL(uri).pathname]);
  } finally {
    duck.close();
  }
}

function profileOf(result: Awaited<ReturnType<typeof ingest>>): DatasetProfile {
  return datasetProfileSchema.parse(result.artifacts[0]?.meta.profile);
}

describe('ingest', () => {
  it('reads a bundled sample with its schema and profile', async () => {
    const result = await ingest({ source: 'sample', sample: 'iris' });
    expect(result.summary).toMatchObject({ rows: 150, columns: 5, file: 'iris.csv', skippedRows: 0 });
    expect(result.artifacts[0]?.meta.schema).toEqual({
      columns: [
        { name: 'sepal_length_cm', type: 'numeric', storage: 'DOUBLE' },
        { name: 'sepal_width_cm', type: 'numeric', storage: 'DOUBLE' },
        { name: 'petal_length_cm', type: 'numeric', storage: 'DOUBLE' },
        { name: 'petal_width_cm', type: 'numeric', storage: 'DOUBLE' },
        { name: 'target', type: 'categorical', storage: 'VARCHAR' },
      ],
    });
    const target = profileOf(result).columns[4];
    expect(target?.topValues).toEqual([
      { value: 'setosa', count: 50 },
      { value: 'versicolor', count: 50 },
      { value: 'virginica', count: 50 },
    ]);
    expect(profileOf(result).columns[0]).toMatchObject({ min: 4.3, max: 7.9, missing: 0 });
  });

  it('reads CSV with a chosen delimiter, TSV, JSON, NDJSON and Parquet to the same rows', async () => {
    const expected = [
      { id: 1, name: 'ann' },
      { id: 2, name: 'bob' },
    ];
    const semicolon = await ingest({
      source: 'file',
      file: dataFile('a.csv', 'id;name\n1;ann\n2;bob\n'),
      delimiter: ';',
    });
    const tsv = await ingest({ source: 'file', file: dataFile('a.tsv', 'id\tname\n1\tann\n2\tbob\n') });
    const json = await ingest({ source: 'file', file: dataFile('a.json', JSON.stringify(expected)) });
    const ndjson = await ingest({
      source: 'file',
      file: dataFile('a.ndjson', expected.map((row) => JSON.stringify(row)).join('\n')),
    });
    const parquetPath = path.join(harness.dataDir, 'uploads', 'a.parquet');
    const duck = await Duck.open();
    await duck.exec(
      `copy (select 1 as id, 'ann' as name union all select 2, 'bob') to '${parquetPath}' (format parquet)`,
    );
    duck.close();
    const parquet = await ingest({ source: 'file', file: 'uploads/a.parquet' });
    for (const result of [semicolon, tsv, json, ndjson, parquet]) {
      const rows = await readRows(result.outputs.data?.uri ?? '');
      expect(rows.map((row) => ({ id: Number(row.id), name: row.name }))).toEqual(expected);
    }
  });

  it('keeps hostile column names intact end to end', async () => {
    const hostile = 'x"; drop table t; --';
    const csv = `"${hostile.replaceAll('"', '""')}","unit price","select","Größe"\n1,2.5,a,b\n`;
    const result = await ingest({
      source: 'file',
      file: dataFile('hostile.csv', csv),
      columnTypes: { [hostile]: 'categorical' },
    });
    const rows = await readRows(result.outputs.data?.uri ?? '');
    expect(rows).toEqual([{ [hostile]: '1', 'unit price': 2.5, select: 'a', Größe: 'b' }]);
    expect(profileOf(result).columns.map((column) => column.name)).toEqual([
      hostile,
      'unit price',
      'select',
      'Größe',
    ]);
  });

  it('skips malformed rows when asked, reporting the count and the first five with line numbers', async () => {
    // 20 good rows with 6 bad ones among them: too few fields, too many, and an unterminated quote.
    const good = Array.from({ length: 20 }, (_, index) => `${index},"v${index}"`);
    const lines = [
      'a,b',
      ...good.slice(0, 2),
      '3',
      ...good.slice(2, 5),
      '6,"x",8',
      ...good.slice(5, 8),
      '11',
      '12',
      ...good.slice(8, 10),
      '13,"unclosed',
      ...good.slice(10),
      '99',
    ];
    const result = await ingest({
      source: 'file',
      file: dataFile('bad.csv', `${lines.join('\n')}\n`),
      badRows: 'skip',
    });
    // The unterminated quote on line 16 runs into line 17, so that good row goes with it.
    expect(result.summary?.rows).toBe(19);
    expect(result.summary?.skippedRows).toBe(6);
    const first = result.summary?.firstSkippedRows;
    expect(Array.isArray(first) && first.map((row: { line: number }) => row.line)).toEqual([
      4, 8, 12, 13, 16,
    ]);
    expect(result.logs.find((line) => line.level === 'warn')?.message).toBe(
      'Skipped 6 malformed rows of bad.csv',
    );
  });

  it('fails on a malformed row by default, naming the file and line', async () => {
    const lines = ['a,b', '1,2', '3,4', '5,6', '7,8,9', '10,11'];
    await expect(
      ingest({ source: 'file', file: dataFile('bad2.csv', `${lines.join('\n')}\n`) }),
    ).rejects.toThrow(/^bad2\.csv \(line 5\): /);
  });

  it('names the file for an empty file, a file that is not what its name says, and non-UTF-8 text', async () => {
    await expect(ingest({ source: 'file', file: dataFile('empty.csv', '') })).rejects.toThrow(
      'empty.csv is empty',
    );
    await expect(ingest({ source: 'file', file: dataFile('fake.parquet', 'a,b\n1,2\n') })).rejects.toThrow(
      'fake.parquet is not a Parquet file',
    );
    await expect(
      ingest({ source: 'file', file: dataFile('latin1.csv', Buffer.from('name\nM\xfcller\n', 'latin1')) }),
    ).rejects.toThrow(/latin1\.csv is not UTF-8 text/);
  });

  it('reads only uploads and the data folders: never logs, services.json, artifacts or anything outside', async () => {
    const outside =
      /^.* is outside the folders nodes may read: uploads, and the folders in PIPEWRIGHT_DATA_FOLDERS/;
    for (const [name, content] of [
      ['logs/app.log', 'line\n1\n'],
      ['services.json', '{"databaseUrl": "postgres://secret"}\n'],
      ['artifacts/old/data.csv', 'a\n1\n'],
    ] as const) {
      mkdirSync(path.dirname(path.join(harness.dataDir, name)), { recursive: true });
      writeFileSync(path.join(harness.dataDir, name), content);
    }
    for (const file of [
      'logs/app.log',
      'services.json',
      path.join(harness.dataDir, 'services.json'),
      'artifacts/old/data.csv',
      'uploads/../services.json',
      '../../etc/passwd',
      '/etc/passwd',
      // Refused for where it is, whether or not it exists.
      '../no-such-file.csv',
    ]) {
      await expect(ingest({ source: 'file', file }), file).rejects.toThrow(outside);
    }
    // A link inside uploads is judged by where it leads.
    symlinkSync(
      path.join(harness.dataDir, 'services.json'),
      path.join(harness.dataDir, 'uploads', 'link.json'),
    );
    await expect(ingest({ source: 'file', file: 'uploads/link.json' })).rejects.toThrow(outside);
    await expect(ingest({ source: 'file', file: 'uploads/missing.csv' })).rejects.toThrow(
      /^No file at uploads\/missing\.csv$/,
    );
  });

  it('reads files in PIPEWRIGHT_DATA_FOLDERS, but not DATA_DIR state inside one of them', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'pipewright-folder-'));
    writeFileSync(path.join(folder, 'shared.csv'), 'a,b\n1,2\n');
    // A data folder that contains DATA_DIR must not open its logs.
    process.env.PIPEWRIGHT_DATA_FOLDERS = [folder, path.dirname(harness.dataDir)].join(path.delimiter);
    try {
      const result = await ingest({ source: 'file', file: path.join(folder, 'shared.csv') });
      expect(await readRows(result.outputs.data?.uri ?? '')).toEqual([{ a: 1, b: 2 }]);
      mkdirSync(path.join(harness.dataDir, 'logs'), { recursive: true });
      writeFileSync(path.join(harness.dataDir, 'logs', 'app.log'), 'line\n1\n');
      await expect(
        ingest({ source: 'file', file: path.join(harness.dataDir, 'logs', 'app.log') }),
      ).rejects.toThrow(/is outside the folders nodes may read/);
    } finally {
      delete process.env.PIPEWRIGHT_DATA_FOLDERS;
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('ingests values near 1e200, profiling their moments', async () => {
    const result = await ingest({ source: 'file', file: dataFile('huge.csv', 'x\n1e200\n-1e200\n3e200\n') });
    expect(result.summary).toMatchObject({ rows: 3, columns: 1 });
    const [x] = profileOf(result).columns;
    expect(x).toMatchObject({ min: -1e200, max: 3e200, missing: 0 });
    expect((x?.std ?? 0) / 1e200).toBeCloseTo(2, 12);
  });

  it('applies type overrides, and names the value and row that will not convert', async () => {
    const file = dataFile('codes.csv', 'zip,amount\n01234,5\n98765,x7\n');
    const result = await ingest({ source: 'file', file, columnTypes: { zip: 'categorical' } });
    expect(await readRows(result.outputs.data?.uri ?? '')).toEqual([
      { zip: '01234', amount: '5' },
      { zip: '98765', amount: 'x7' },
    ]);
    await expect(ingest({ source: 'file', file, columnTypes: { amount: 'numeric' } })).rejects.toThrow(
      'Column "amount" cannot be read as numeric: value "x7" on row 2',
    );
    // A 9,000-character cell is named by its head and length, keeping the message short.
    const wide = dataFile('wide.csv', `a\n1\n${'z'.repeat(9000)}\n`);
    await expect(ingest({ source: 'file', file: wide, columnTypes: { a: 'numeric' } })).rejects.toThrow(
      new RegExp(
        `^Column "a" cannot be read as numeric: value "${'z'.repeat(60)}…" \\(9,000 characters\\) on row 2$`,
      ),
    );
    await expect(ingest({ source: 'file', file, columnTypes: { nope: 'numeric' } })).rejects.toThrow(
      'Column "nope" in Column types is not in codes.csv',
    );
  });
});

describe('sample columns known before a run', () => {
  it('match what ingest reads from each bundled sample', async () => {
    for (const sample of ['iris', 'breast_cancer', 'diabetes'] as const) {
      const result = await ingest({ source: 'sample', sample });
      const schema = datasetSchemaSchema.parse(result.artifacts[0]?.meta.schema);
      expect(schema.columns.map(({ name, type }) => ({ name, type }))).toEqual(sampleColumns[sample]);
    }
  });
});
