import { afterAll, describe, expect, it } from 'vitest';
import { NodeHarness } from '../../tests/support/node-harness';
import { csvDataset, readDataset } from '../../tests/support/test-dataset';
import type { ArtifactRef } from '../_kit/artifact-ref';
import { nodeRuns } from '../runs';

const harness = new NodeHarness();
afterAll(() => harness.cleanup());

const dataset = (name: string, csv: string) => csvDataset(harness, name, csv);

async function clean(data: ArtifactRef, config: Record<string, unknown>) {
  const result = await harness.run(nodeRuns.clean, config, { data });
  return { ...result, ...(await readDataset(result.outputs.data)) };
}

describe('clean', () => {
  it('imputes with values learned from training rows only, and records them in the transform spec', async () => {
    const data = await dataset(
      'impute',
      'x,colour,_split\n1,red,train\n3,,train\n,red,train\n100,blue,test\n,blue,test\n',
    );
    const result = await clean(data, {
      operations: [
        { op: 'impute', columns: ['x'], strategy: 'mean' },
        { op: 'impute', columns: { byType: 'categorical', except: ['_split'] }, strategy: 'most_frequent' },
      ],
    });
    expect(result.rows).toEqual([
      { x: 1, colour: 'red', _split: 'train' },
      { x: 3, colour: 'red', _split: 'train' },
      { x: 2, colour: 'red', _split: 'train' },
      { x: 100, colour: 'blue', _split: 'test' },
      { x: 2, colour: 'blue', _split: 'test' },
    ]);
    expect(result.spec.steps).toEqual([
      { op: 'impute', column: 'x', strategy: 'mean', value: 2 },
      { op: 'impute', column: 'colour', strategy: 'most_frequent', value: 'red' },
    ]);
  });

  it('drops, keeps, renames and casts, naming a value that will not convert', async () => {
    const data = await dataset('shape', 'a,b,c,d\n1,x,2.5,7\n2,y,3.5,8\n');
    const result = await clean(data, {
      operations: [
        { op: 'drop', columns: ['d'] },
        { op: 'rename', from: 'b', to: 'label' },
        { op: 'cast', column: 'a', to: 'categorical' },
        { op: 'keep', columns: ['a', 'label'] },
      ],
    });
    expect(result.rows).toEqual([
      { a: '1', label: 'x' },
      { a: '2', label: 'y' },
    ]);
    await expect(clean(data, { operations: [{ op: 'cast', column: 'b', to: 'numeric' }] })).rejects.toThrow(
      'Column "b" cannot become numeric: value "x" on row 1',
    );
  });

  it('filters with nested AND/OR conditions, binding values so hostile text is just text', async () => {
    const data = await dataset(
      'filter',
      'age,region,note\n30,north,ok\n60,north,ok\n70,east,"x\'; drop table t; --"\n55,west,ok\n',
    );
    const result = await clean(data, {
      operations: [
        {
          op: 'filter',
          condition: {
            all: [
              { column: 'age', operator: '>', value: 50 },
              {
                any: [
                  { column: 'region', operator: '=', value: 'north' },
                  { column: 'note', operator: '=', value: "x'; drop table t; --" },
                ],
              },
            ],
          },
        },
      ],
    });
    expect(result.rows.map((row) => row.age)).toEqual([60, 70]);
  });

  it('refuses a filter value that is not of its column type, naming the column and the value', async () => {
    const data = await dataset('typed-filter', 'age,code,joined\n30,1,2026-01-02\n60,2,2026-03-04\n');
    await expect(
      clean(data, {
        operations: [{ op: 'filter', condition: { column: 'age', operator: '=', value: '1) or (1=1' } }],
      }),
    ).rejects.toMatchObject({
      name: 'NodeInputError',
      message:
        'The condition on "age" compares it with "1) or (1=1", which is not a number ("age" is numeric)',
      details: { field: 'operations.0.condition', column: 'age' },
    });
    await expect(
      clean(data, {
        operations: [{ op: 'filter', condition: { column: 'joined', operator: '>', value: 'soon' } }],
      }),
    ).rejects.toThrow(/^The condition on "joined" compares it with "soon", which is not a date or time/);
    // A number written as text is a number; a number against a text column is text.
    const typed = await clean(data, {
      operations: [
        { op: 'cast', column: 'code', to: 'categorical' },
        {
          op: 'filter',
          condition: {
            all: [
              { column: 'age', operator: '>=', value: '60' },
              { column: 'code', operator: 'in', value: [2, 3] },
            ],
          },
        },
      ],
    });
    expect(typed.rows).toEqual([{ age: 60, code: '2', joined: '2026-03-04T00:00:00.000Z' }]);
  });

  it('fails without retry on a value DuckDB cannot convert, naming the value', async () => {
    const data = await dataset('constant-on-number', 'grade,score\nx,1\ny,\n');
    const failure = clean(data, {
      operations: [{ op: 'impute', columns: ['score'], strategy: 'constant', value: 'none' }],
    });
    await expect(failure).rejects.toMatchObject({
      name: 'NodeInputError',
      message: expect.stringMatching(
        /^A value in the data cannot be used: Could not convert string 'none' to INT64$/,
      ),
    });
    // A range on a text column is a mistake in the rule, said before any value is compared.
    await expect(
      clean(data, { rules: [{ rule: 'range', column: 'grade', min: 0, action: 'fail' }] }),
    ).rejects.toThrow('Rule on column "grade": a range needs a numeric column');
    // One bound alone is enough for a range.
    const ranged = await clean(data, { rules: [{ rule: 'range', column: 'score', min: 2, action: 'warn' }] });
    expect(ranged.summary?.rules).toMatchObject([{ rule: 'range', measured: 1, passed: false }]);
  });

  it('de-duplicates keeping the first row, drops missing rows, trims and lower-cases text', async () => {
    const data = await dataset('dedupe', 'id,name\n1, Ann \n1,ann\n2, BOB\n3,\n');
    const result = await clean(data, {
      operations: [
        { op: 'drop_missing' },
        { op: 'text', columns: ['name'], trim: true, lower: true },
        { op: 'deduplicate', columns: ['id'] },
      ],
    });
    expect(result.rows).toEqual([
      { id: 1, name: 'ann' },
      { id: 2, name: 'bob' },
    ]);
  });

  it('treats a by-type selection that matches no column as nothing to de-duplicate, and refuses to keep nothing', async () => {
    const data = await dataset('empty-pick', 'a,b\n1,x\n1,x\n');
    const none = { byType: 'datetime', except: [] };
    const result = await clean(data, { operations: [{ op: 'deduplicate', columns: none }] });
    expect(result.rows).toHaveLength(2);
    await expect(clean(data, { operations: [{ op: 'keep', columns: none }] })).rejects.toThrow(
      'No column matches the selection to keep',
    );
  });

  it('clips outliers to IQR fences learned from the data', async () => {
    const data = await dataset('clip', 'v\n1\n2\n3\n4\n5\n6\n7\n8\n100\n\n');
    const result = await clean(data, { operations: [{ op: 'clip', columns: ['v'], method: 'iqr' }] });
    // q1 = 3, q3 = 7, IQR = 4: fences at −3 and 13. The missing value stays missing.
    expect(result.spec.steps).toEqual([{ op: 'clip', column: 'v', lower: -3, upper: 13 }]);
    expect(result.rows.map((row) => row.v)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 13, null]);
  });

  it('reports every data-quality rule with its measured value; failing rules fail the step, warnings only warn', async () => {
    const data = await dataset('rules', 'id,score,grade\n1,0.5,a\n2,,b\n2,1.5,z\n');
    const passing = await clean(data, {
      rules: [
        { rule: 'min_rows', rows: 3 },
        { rule: 'max_missing', column: 'score', fraction: 0.05, action: 'warn' },
      ],
    });
    expect(passing.summary?.rules).toEqual([
      { rule: 'min_rows', action: 'fail', measured: 3, passed: true, description: 'at least 3 rows' },
      {
        rule: 'max_missing',
        action: 'warn',
        measured: 1 / 3,
        passed: false,
        description: 'score: at most 5% missing',
      },
    ]);
    expect(passing.logs.map((line) => line.message)).toContain(
      'Data-quality rule not met: score: at most 5% missing: measured 0.3333333333333333',
    );
    await expect(
      clean(data, {
        rules: [
          { rule: 'range', column: 'score', min: 0, max: 1 },
          { rule: 'in_set', column: 'grade', values: ['a', 'b'] },
          { rule: 'unique', columns: ['id'] },
        ],
      }),
    ).rejects.toThrow(
      'Data-quality rules failed: score within [0, 1] (rows outside): measured 1; grade in {a, b} (rows outside): measured 1; id unique (duplicate rows): measured 1',
    );
  });

  it('works on hostile column names and names a missing column', async () => {
    const hostile = 'x"; drop table t; --';
    const data = await dataset('hostile', `"${hostile.replaceAll('"', '""')}",other\n1,\n,2\n`);
    const result = await clean(data, {
      operations: [{ op: 'impute', columns: [hostile], strategy: 'constant', value: 0 }],
    });
    expect(result.rows.map((row) => row[hostile])).toEqual([1, 0]);
    await expect(clean(data, { operations: [{ op: 'drop', columns: ['nope'] }] })).rejects.toThrow(
      /^Column "nope" is not in the data/,
    );
  });

  it('keeps a new name that contains {prev} as written', async () => {
    const data = await dataset('prev', 'a,b\n1,x\n2,y\n');
    const renamed = 'a"b;c {prev}';
    const result = await clean(data, {
      operations: [
        { op: 'rename', from: 'b', to: renamed },
        { op: 'filter', condition: { column: renamed, operator: '=', value: 'y' } },
      ],
    });
    expect(result.rows).toEqual([{ a: 2, [renamed]: 'y' }]);
  });
});
