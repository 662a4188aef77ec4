import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NodeHarness } from '../../tests/support/node-harness';
import { datasetSchemaSchema } from '../_data/dataset-schema';
import { Duck } from '../_data/duck';
import { type DatasetProfile, datasetProfileSchema } from '../_data/profile';
import { NodeInputError } from '../_kit/errors';
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

  it('refuses paths outside DATA_DIR', async () => {
    await expect(ingest({ source: 'file', file: '../../etc/passwd' })).rejects.toThrow(NodeInputError);
    await expect(ingest({ source: 'file', file: '/etc/passwd' })).rejects.toThrow(/outside the data folder/);
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
