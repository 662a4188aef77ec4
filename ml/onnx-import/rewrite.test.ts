import { readFileSync } from 'node:fs';
import path from 'node:path';
import onnxProto from 'onnx-proto';
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeOnnx } from './describe';
import { planImport } from './plan';
import { rewriteForServing } from './rewrite';

const fixtures = path.resolve(import.meta.dirname, '../../tests/fixtures/imported');
const fixture = new Uint8Array(readFileSync(path.join(fixtures, 'iris-logreg.onnx')));
const expected = z
  .object({
    columns: z.array(z.string()),
    labels: z.array(z.string()),
    rows: z.array(z.array(z.number())),
    predict: z.array(z.string()),
    predict_proba: z.array(z.array(z.number())),
  })
  .parse(JSON.parse(readFileSync(path.join(fixtures, 'expected.json'), 'utf8')));

describe('describeOnnx', () => {
  it("reads skl2onnx's graph: one float [N, 4] input, a ZipMap output, the labels from the graph", () => {
    const graph = describeOnnx(fixture);
    expect(graph.inputs).toEqual([
      { name: 'float_input', kind: 'tensor', elementType: 'float', shape: [null, 4] },
    ]);
    expect(graph.outputs.map((output) => [output.name, output.kind])).toEqual([
      ['output_label', 'tensor'],
      ['output_probability', 'sequence'],
    ]);
    expect(graph.inputForm).toEqual({ kind: 'matrix', features: 4, input: 'float_input' });
    expect(graph.task).toBe('classification');
    expect(graph.labels).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(graph.operators.map((op) => op.opType)).toContain('ZipMap');
  });

  it('refuses a file that is not ONNX', () => {
    expect(() => describeOnnx(new TextEncoder().encode('sepal_length,sepal_width\n1,2\n'))).toThrow(
      /not an ONNX model/,
    );
  });
});

describe('rewriteForServing', () => {
  it("gives one double [N, 1] input per column and tensor outputs equal to scikit-learn's answers", async () => {
    const graph = describeOnnx(fixture);
    const rewritten = rewriteForServing(fixture, graph, planImport(graph, { columns: expected.columns }));
    expect(rewritten.columns).toEqual(expected.columns.map((name) => ({ name, type: 'number' })));
    const session = await ort.InferenceSession.create(rewritten.onnx);
    try {
      expect(session.inputNames).toEqual(expected.columns);
      expect([...session.outputNames].sort()).toEqual(['label', 'probabilities']);
      const rows = expected.rows.length;
      const feeds = Object.fromEntries(
        expected.columns.map((name, column) => [
          name,
          new ort.Tensor(
            'float64',
            Float64Array.from(expected.rows, (row) => row[column] ?? Number.NaN),
            [rows, 1],
          ),
        ]),
      );
      const outputs = await session.run(feeds);
      expect(texts(outputs.label?.data)).toEqual(expected.predict);
      const probabilities = outputs.probabilities;
      expect(probabilities?.dims).toEqual([rows, 3]);
      expect(probabilities?.data).toBeInstanceOf(Float32Array);
      expected.predict_proba.forEach((row, index) => {
        row.forEach((p, k) => {
          expect(Number(probabilities?.data[index * 3 + k])).toBeCloseTo(p, 5);
        });
      });
    } finally {
      await session.release();
    }
  });

  it('keeps a column named like an internal tensor of the original graph apart from it', async () => {
    const graph = describeOnnx(fixture);
    const names = ['float_input', 'label_x', 'probability_tensor', 'output_label'];
    const rewritten = rewriteForServing(fixture, graph, planImport(graph, { columns: names }));
    const session = await ort.InferenceSession.create(rewritten.onnx);
    try {
      const one = (value: number) => new ort.Tensor('float64', Float64Array.of(value), [1, 1]);
      const outputs = await session.run({
        float_input: one(5.1),
        label_x: one(3.5),
        probability_tensor: one(1.4),
        output_label: one(0.2),
      });
      expect(texts(outputs.label?.data)).toEqual(['setosa']);
    } finally {
      await session.release();
    }
  });
});

describe('planImport', () => {
  const graph = describeOnnx(fixture);

  it('refuses a column list of the wrong length, naming both counts', () => {
    expect(() => planImport(graph, { columns: ['a', 'b', 'c'] })).toThrow(
      'The model takes 4 features (input float_input: float [N, 4]) but 3 columns were given (a, b, c)',
    );
  });

  it("takes the columns from the sample's header, and refuses one of another width", () => {
    expect(planImport(graph, { sampleHeader: expected.columns }).columns).toEqual(expected.columns);
    expect(() => planImport(graph, { sampleHeader: ['a', 'b'] })).toThrow(/the sample CSV has 2 columns/);
  });

  it('refuses a column named like a served output, and a name given twice', () => {
    expect(() => planImport(graph, { columns: ['probabilities', 'b', 'c', 'd'] })).toThrow(
      'A column cannot be named "probabilities"',
    );
    expect(() => planImport(graph, { columns: ['a', 'a', 'c', 'd'] })).toThrow('Column "a" is named twice');
  });

  it("takes labels given in place of the graph's, and refuses another count", () => {
    expect(planImport(graph, { columns: expected.columns, labels: ['s', 'v', 'g'] })).toMatchObject({
      labels: ['s', 'v', 'g'],
      labelsOverridden: true,
    });
    expect(() => planImport(graph, { columns: expected.columns, labels: ['a', 'b'] })).toThrow(
      'The graph has 3 classes (setosa, versicolor, virginica) but 2 labels were given (a, b)',
    );
  });

  it('rebuilds the label output from the probabilities when labels are given', async () => {
    const plan = planImport(graph, { columns: expected.columns, labels: ['s', 'v', 'g'] });
    const session = await ort.InferenceSession.create(rewriteForServing(fixture, graph, plan).onnx);
    try {
      const rows = expected.rows.length;
      const feeds = Object.fromEntries(
        expected.columns.map((name, column) => [
          name,
          new ort.Tensor(
            'float64',
            Float64Array.from(expected.rows, (row) => row[column] ?? Number.NaN),
            [rows, 1],
          ),
        ]),
      );
      const outputs = await session.run(feeds);
      const short: Record<string, string> = { setosa: 's', versicolor: 'v', virginica: 'g' };
      expect(texts(outputs.label?.data)).toEqual(expected.predict.map((label) => short[label]));
    } finally {
      await session.release();
    }
  });
});

/** A string tensor's values. */
function texts(data: unknown): string[] {
  return Array.isArray(data) ? data.map(String) : [];
}

describe('a graph with one [N, 1] input per column, predicting a number', () => {
  const bytes = new Uint8Array(readFileSync(path.join(fixtures, 'two-columns-regressor.onnx')));
  const twoColumns = z
    .object({
      columns: z.array(z.string()),
      rows: z.array(z.array(z.number())),
      predict: z.array(z.number()),
    })
    .parse(JSON.parse(readFileSync(path.join(fixtures, 'two-columns-expected.json'), 'utf8')));

  it("takes the graph's input names as columns and answers `value` as scikit-learn's predict", async () => {
    const graph = describeOnnx(bytes);
    expect(graph.inputForm).toEqual({ kind: 'columns' });
    expect(graph.task).toBe('regression');
    const plan = planImport(graph, {});
    expect(plan.columns).toEqual(['width', 'height']);
    const rewritten = rewriteForServing(bytes, graph, plan);
    const session = await ort.InferenceSession.create(rewritten.onnx);
    try {
      expect(session.inputNames).toEqual(['width', 'height']);
      expect(session.outputNames).toEqual(['value']);
      const rows = twoColumns.rows.length;
      const column = (index: number) =>
        new ort.Tensor(
          'float64',
          Float64Array.from(twoColumns.rows, (row) => row[index] ?? Number.NaN),
          [rows, 1],
        );
      const { value } = await session.run({ width: column(0), height: column(1) });
      expect(value?.data).toBeInstanceOf(Float64Array);
      twoColumns.predict.forEach((expected, row) => {
        expect(Number(value?.data[row])).toBeCloseTo(expected, 4);
      });
    } finally {
      await session.release();
    }
  });

  it('renames the inputs to the columns given, and refuses labels for a regressor', () => {
    const graph = describeOnnx(bytes);
    expect(planImport(graph, { columns: ['w', 'h'] }).columns).toEqual(['w', 'h']);
    expect(() => planImport(graph, { columns: ['w'] })).toThrow(
      'The model takes 2 inputs (width, height) but 1 column was given (w)',
    );
    expect(() => planImport(graph, { labels: ['a'] })).toThrow('it takes no labels');
  });
});

describe('one tensor whose width the graph does not declare ([N, ?])', () => {
  /** The iris fixture with its input's second dimension made a name ("F") instead of 4. */
  function undeclaredWidth(): Uint8Array {
    const model = onnxProto.onnx.ModelProto.decode(fixture);
    const dim = model.graph?.input?.[0]?.type?.tensorType?.shape?.dim?.[1];
    if (!dim) throw new Error('the fixture has no second input dimension');
    dim.dimValue = null;
    dim.dimParam = 'F';
    return onnxProto.onnx.ModelProto.encode(model).finish();
  }

  it('takes the columns given (or the sample header) as they come, and answers as scikit-learn', async () => {
    const bytes = undeclaredWidth();
    const graph = describeOnnx(bytes);
    expect(graph.inputForm).toEqual({ kind: 'matrix', features: null, input: 'float_input' });
    expect(() => planImport(graph, {})).toThrow(
      'The model takes one tensor of features (input float_input: float [N, ?]): name its columns in order',
    );
    const plan = planImport(graph, { sampleHeader: expected.columns });
    const session = await ort.InferenceSession.create(rewriteForServing(bytes, graph, plan).onnx);
    try {
      const rows = expected.rows.length;
      const feeds = Object.fromEntries(
        expected.columns.map((name, column) => [
          name,
          new ort.Tensor(
            'float64',
            Float64Array.from(expected.rows, (row) => row[column] ?? Number.NaN),
            [rows, 1],
          ),
        ]),
      );
      expect(texts((await session.run(feeds)).label?.data)).toEqual(expected.predict);
    } finally {
      await session.release();
    }
  });
});
