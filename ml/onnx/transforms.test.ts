import jsep from 'jsep';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { inputNames, runGraph } from '../../tests/support/ort';
import { OnnxExportError } from './errors';
import { exportTransforms, requiredColumns } from './export';
import type { OnnxStep, RawColumn } from './types';

const { onnx } = onnxProto;

/** The features the transform graph computes, one array per feature. */
async function features(
  columns: RawColumn[],
  steps: OnnxStep[],
  names: string[],
  feeds: Record<string, (number | string)[]>,
): Promise<number[][]> {
  const { features: out } = await runGraph(exportTransforms({ columns, steps, features: names }), feeds);
  const rows = out?.dims[0] ?? 0;
  return names.map((_, k) => Array.from({ length: rows }, (_, r) => Number(out?.data[r * names.length + k])));
}

const num = (name: string): RawColumn => ({ name, kind: 'number' });
const text = (name: string): RawColumn => ({ name, kind: 'string' });

describe('numeric steps', () => {
  it('impute, standardize, min-max, log, sqrt, bin as the SQL computes them', async () => {
    const x = [1, Number.NaN, 3, 0.5, 2];
    const [imputed, standardized, scaled, logged, rooted, binned] = await features(
      [num('x'), num('s'), num('m'), num('l'), num('q'), num('b')],
      [
        { op: 'impute', column: 'x', strategy: 'mean', value: 2 },
        { op: 'standardize', column: 's', mean: 2, std: 0.5 },
        { op: 'min_max', column: 'm', min: 1, max: 1 },
        { op: 'log', column: 'l' },
        { op: 'sqrt', column: 'q' },
        { op: 'bin', column: 'b', edges: [1, 2] },
      ],
      ['x', 's', 'm', 'l', 'q', 'b'],
      { x, s: x, m: x, l: x, q: x, b: x },
    );
    expect(imputed).toEqual([1, 2, 3, 0.5, 2]);
    expect(standardized).toEqual([-2, Number.NaN, 2, -3, 0]);
    // max = min: divided by 1, as the SQL does.
    expect(scaled).toEqual([0, Number.NaN, 2, -0.5, 1]);
    // ln(1 + x); onnxruntime's log (as glibc's, which DuckDB uses) may differ from V8's in the last bit.
    (logged ?? []).forEach((value, i) => {
      if (Number.isNaN(x[i])) expect(value).toBeNaN();
      else expect(value).toBeCloseTo(Math.log(1 + (x[i] ?? 0)), 15);
    });
    expect(rooted).toEqual(x.map(Math.sqrt));
    expect(binned).toEqual([1, Number.NaN, 2, 0, 2]);
  });

  it('clips to the bounds and leaves a missing value missing', async () => {
    const [clipped] = await features([num('x')], [{ op: 'clip', column: 'x', lower: 0, upper: 10 }], ['x'], {
      x: [-5, 5, 50, Number.NaN],
    });
    expect(clipped).toEqual([0, 5, 10, Number.NaN]);
  });

  it('rounds float32 columns as they were stored', async () => {
    const [value, hot] = await features(
      [
        { name: 'x', kind: 'number', float32: true },
        { name: 'y', kind: 'number', float32: true },
      ],
      [{ op: 'one_hot', column: 'y', categories: ['0.1', '2.5'], other: false }],
      ['x', 'y=0.1'],
      { x: [0.1, 2], y: [0.1, 0.2] },
    );
    expect(value).toEqual([Math.fround(0.1), 2]);
    expect(hot).toEqual([1, 0]);
  });
});

describe('categories', () => {
  it('one-hot encodes text with "other" for unseen values and zeros for a missing one', async () => {
    const columns = await features(
      [text('colour')],
      [{ op: 'one_hot', column: 'colour', categories: ['red', 'blue'], other: true }],
      ['colour=red', 'colour=blue', 'colour=other'],
      { colour: ['red', 'blue', 'green', ''] },
    );
    expect(columns).toEqual([
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
    ]);
    const [red, blue] = await features(
      [text('colour')],
      [{ op: 'one_hot', column: 'colour', categories: ['red', 'blue'], other: false }],
      ['colour=red', 'colour=blue'],
      { colour: ['green', 'blue'] },
    );
    expect([red, blue]).toEqual([
      [0, 0],
      [0, 1],
    ]);
  });

  it('compares numbers (and numbers cast to text) with the categories as numbers', async () => {
    const [one, half, other, rank, castRank, flag] = await features(
      [num('n'), num('m'), num('c'), { name: 'b', kind: 'number', boolean: true }],
      [
        { op: 'one_hot', column: 'n', categories: ['1', '2.5'], other: true },
        { op: 'ordinal', column: 'm', categories: ['1e+20', '3'] },
        { op: 'cast', column: 'c', to: 'categorical' },
        { op: 'text', column: 'c', trim: true, lower: true },
        { op: 'ordinal', column: 'c', categories: ['1.0', '2.0'] },
        { op: 'one_hot', column: 'b', categories: ['true', 'false'], other: false },
      ],
      ['n=1', 'n=2.5', 'n=other', 'm', 'c', 'b=true'],
      { n: [1, 2.5, 7, Number.NaN], m: [3, 1e20, 4, Number.NaN], c: [2, 1, 3, Number.NaN], b: [1, 0, 1, 0] },
    );
    expect([one, half, other]).toEqual([
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
    ]);
    expect(rank).toEqual([1, 0, -1, -1]);
    expect(castRank).toEqual([1, 0, -1, -1]);
    expect(flag).toEqual([1, 0, 1, 0]);
  });

  it('orders text categories, imputes and lower-cases text before encoding', async () => {
    const [size, colour] = await features(
      [text('size'), text('colour')],
      [
        { op: 'impute', column: 'size', strategy: 'most_frequent', value: 's' },
        { op: 'ordinal', column: 'size', categories: ['l', 'm', 's'] },
        { op: 'text', column: 'colour', trim: false, lower: true },
        { op: 'one_hot', column: 'colour', categories: ['red', 'ärger'], other: false },
      ],
      ['size', 'colour=ärger'],
      { size: ['m', '', 'xl', 'l'], colour: ['RED', 'ÄRGER', 'Ärger', ''] },
    );
    expect(size).toEqual([1, 2, -1, 0]);
    expect(colour).toEqual([0, 1, 1, 0]);
  });

  it('renames, drops and selects columns', async () => {
    const columns = [num('a'), num('b'), num('c')];
    const steps: OnnxStep[] = [
      { op: 'rename', from: 'a', to: 'z' },
      { op: 'drop', columns: ['b'] },
      { op: 'select', features: ['z', 'c'], target: 'c' },
    ];
    expect(await features(columns, steps, ['z', 'c'], { a: [1], c: [3] })).toEqual([[1], [3]]);
    expect(() => exportTransforms({ columns, steps, features: ['b'] })).toThrow(OnnxExportError);
    expect(() => exportTransforms({ columns, steps, features: ['a'] })).toThrow(
      'Feature "a" is not a column of the data after the transform steps',
    );
  });
});

describe('the feature matrix', () => {
  it('computes columns with the same kinds of steps together and keeps the model order', async () => {
    const steps: OnnxStep[] = [
      { op: 'impute', column: 'a', strategy: 'mean', value: 10 },
      { op: 'standardize', column: 'a', mean: 1, std: 2 },
      { op: 'impute', column: 'b', strategy: 'mean', value: 20 },
      { op: 'standardize', column: 'b', mean: 3, std: 4 },
      { op: 'one_hot', column: 'c', categories: ['x', 'y'], other: true },
      { op: 'log', column: 'd' },
    ];
    const columns = [num('a'), num('b'), text('c'), num('d'), num('e')];
    const names = ['c=y', 'b', 'e', 'a', 'c=x', 'd', 'b'];
    const values = await features(columns, steps, names, {
      a: [5, Number.NaN],
      b: [Number.NaN, 7],
      c: ['y', 'z'],
      d: [0, 1],
      e: [-1, -2],
    });
    expect(values).toEqual([
      [1, 0],
      [(20 - 3) / 4, 1],
      [-1, -2],
      [2, (10 - 1) / 2],
      [0, 0],
      [0, Math.log(2)],
      [(20 - 3) / 4, 1],
    ]);
  });
  it('takes one node per step for a group of columns, not one per column', () => {
    const names = Array.from({ length: 30 }, (_, k) => `x${k}`);
    const steps: OnnxStep[] = names.flatMap((name, k): OnnxStep[] => [
      { op: 'impute', column: name, strategy: 'median', value: k },
      { op: 'standardize', column: name, mean: k, std: k + 1 },
    ]);
    const bytes = exportTransforms({ columns: names.map(num), steps, features: names });
    const nodes = (onnx.ModelProto.decode(bytes).graph?.node ?? []).map((node) => node.opType);
    expect(nodes).toEqual(['Concat', 'IsNaN', 'Where', 'Sub', 'Div', 'Identity']);
  });
});

describe('derive', () => {
  const derived = async (expression: string, feeds: Record<string, number[]>) => {
    const [values] = await features(
      Object.keys(feeds).map(num),
      [{ op: 'derive', name: 'd', expression: jsep(expression) }],
      ['d'],
      feeds,
    );
    return values ?? [];
  };

  it('computes arithmetic with IEEE results, as DuckDB on doubles', async () => {
    const a = [1, 6, -5.5, 0, Number.NaN];
    const b = [2, 0, 2, 0, 1];
    expect(await derived('a + b * 2 - -a', { a, b })).toEqual(a.map((v, i) => v + (b[i] ?? 0) * 2 - -v));
    expect(await derived('a / b', { a, b })).toEqual([
      0.5,
      Number.POSITIVE_INFINITY,
      -2.75,
      Number.NaN,
      Number.NaN,
    ]);
    // % is fmod: the sign of the dividend.
    expect(await derived('a % b', { a, b })).toEqual([1, Number.NaN, -1.5, Number.NaN, Number.NaN]);
    expect(await derived('(a ^ b)', { a, b })).toEqual(a.map((v, i) => v ** (b[i] ?? 0)));
    expect(await derived('col("a") + 1', { a: [1] })).toEqual([2]);
  });

  it('rounds half away from zero, skips missing values in min and max, and gives exact log10 of powers of ten', async () => {
    const a = [2.5, -2.5, 0.49999999999999994, 1.4, -0.5, Number.NaN, 4503599627370495.5];
    expect(await derived('round(a)', { a })).toEqual([3, -3, 0, 1, -1, Number.NaN, 4503599627370496]);
    const x = [1, Number.NaN, 5, Number.NaN];
    const y = [2, 3, Number.NaN, Number.NaN];
    expect(await derived('min(x, y)', { x, y })).toEqual([1, 3, 5, Number.NaN]);
    expect(await derived('max(x, y)', { x, y })).toEqual([2, 3, 5, Number.NaN]);
    const powers = [1, 10, 1000, 1e15, 0.001, 2];
    const logs = await derived('log10(p)', { p: powers });
    expect(logs.slice(0, 5)).toEqual([0, 1, 3, 15, -3]);
    expect(logs[5]).toBeCloseTo(Math.log10(2), 15);
    const e = [0.5, 2];
    const values = await derived('sqrt(e) + abs(-e) + exp(e) + log(e)', { e });
    values.forEach((value, i) => {
      const v = e[i] ?? 0;
      expect(value).toBeCloseTo(Math.sqrt(v) + Math.abs(-v) + Math.exp(v) + Math.log(v), 12);
    });
  });
});

describe('what cannot be exported exactly', () => {
  const refuse = (columns: RawColumn[], steps: OnnxStep[], names: string[]) => {
    try {
      exportTransforms({ columns, steps, features: names });
    } catch (error) {
      expect(error).toBeInstanceOf(OnnxExportError);
      return (error as Error).message;
    }
    throw new Error('expected the export to fail');
  };

  it('names the step and column', () => {
    expect(
      refuse(
        [text('city')],
        [
          { op: 'text', column: 'city', trim: true, lower: false },
          { op: 'one_hot', column: 'city', categories: ['paris'], other: true },
        ],
        ['city=paris'],
      ),
    ).toBe(
      'Transform step 1 (text) on column "city": trimming text has no standard ONNX operator; leave trim off to export this model',
    );
    expect(
      refuse(
        [{ name: 'day', kind: 'datetime' }],
        [{ op: 'date_part', column: 'day', part: 'month', as: 'm' }],
        ['m'],
      ),
    ).toMatch(/^Transform step 1 \(date_part\) on column "day"/);
    expect(refuse([num('x')], [{ op: 'cast', column: 'x', to: 'datetime' }], ['x'])).toBe(
      'Transform step 1 (cast) on column "x": casting to datetime cannot be expressed exactly',
    );
    expect(
      refuse(
        [text('x')],
        [
          { op: 'cast', column: 'x', to: 'numeric' },
          { op: 'standardize', column: 'x', mean: 0, std: 1 },
        ],
        ['x'],
      ),
    ).toMatch(/^Transform step 1 \(cast\) on column "x": text to a number/);
    expect(refuse([text('x')], [{ op: 'standardize', column: 'x', mean: 0, std: 1 }], ['x'])).toMatch(
      /^Transform step 1 \(standardize\) on column "x": the column holds text/,
    );
    expect(refuse([text('x')], [{ op: 'derive', name: 'd', expression: jsep('x + 1') }], ['d'])).toBe(
      'Transform step 1 (derive) on column "d": the expression reads "x", which holds text',
    );
    expect(
      refuse([num('x')], [{ op: 'derive', name: 'd', expression: jsep('x > 1 ? 1 : 0') }], ['d']),
    ).toMatch(/^Transform step 1 \(derive\) on column "d": the expression uses/);
    expect(
      refuse(
        [text('x')],
        [
          { op: 'impute', column: 'x', strategy: 'constant', value: '' },
          { op: 'ordinal', column: 'x', categories: ['a'] },
        ],
        ['x'],
      ),
    ).toMatch(/imputing "" cannot be told apart from a missing value/);
    expect(refuse([text('x')], [], ['x'])).toBe('Feature "x" holds text; the model takes numbers');
    expect(refuse([{ name: 'day', kind: 'datetime' }], [], ['day'])).toMatch(/holds dates or times/);
  });

  it('fails only when the model needs the step, and takes only the raw columns the features need', async () => {
    const columns: RawColumn[] = [num('a'), { name: 'day', kind: 'datetime' }, text('city'), num('b')];
    const steps: OnnxStep[] = [
      { op: 'date_part', column: 'day', part: 'month', as: 'month' },
      { op: 'text', column: 'city', trim: true, lower: false },
      { op: 'derive', name: 'ab', expression: jsep('b * 2') },
    ];
    expect(requiredColumns({ columns, steps, features: ['ab', 'a'] })).toEqual([num('a'), num('b')]);
    const bytes = exportTransforms({ columns, steps, features: ['ab', 'a'] });
    expect(await inputNames(bytes)).toEqual(['a', 'b']);
    expect(() => requiredColumns({ columns, steps, features: ['month'] })).toThrow(/date_part/);
  });
});
