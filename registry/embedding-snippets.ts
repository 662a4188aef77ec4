import { type ExampleRow, graphValue } from './embedding-example';
import { MODEL_FILE, type ModelOutput } from './version-schema';

/**
 * The embedding README's code: Python (onnxruntime), Node (onnxruntime-node) and the browser
 * (onnxruntime-web), each loading model.onnx, feeding the example row as serving feeds the graph
 * (ml/onnx/export.ts: one [N, 1] tensor per raw column, float64 for numbers and booleans, string for
 * text) and printing the answer as one JSON line shaped like the endpoint's prediction. Pure.
 */

export interface EmbeddingSnippets {
  python: string;
  node: string;
  browser: string;
}

/**
 * A class label as the graph gives it: int64 when every label is a whole number (export.ts
 * classLabels), else the labels' text.
 */
export function graphLabelType(labels: readonly unknown[]): 'int64' | 'string' {
  return labels.every((label) => typeof label === 'number' && Number.isSafeInteger(label))
    ? 'int64'
    : 'string';
}

/** The class names the snippets key probabilities by: the labels' text, as the endpoint's answer does. */
function classNames(output: ModelOutput): string[] {
  return output.task === 'classification' ? output.labels.map(String) : [];
}

function jsNumber(value: number): string {
  return Number.isNaN(value) ? 'NaN' : String(value);
}

function pythonNumber(value: number): string {
  if (Number.isNaN(value)) return 'float("nan")';
  // A float literal, so numpy never guesses an integer type.
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

/** JSON's string escapes are JavaScript's and Python's: a string literal for both. */
const quoted = (text: string): string => JSON.stringify(text);

export function pythonSnippet(row: ExampleRow, output: ModelOutput): string {
  const feeds = row.cells.map(({ column, value }) => {
    const fed = graphValue(column, value);
    const array =
      typeof fed === 'number'
        ? `np.array([[${pythonNumber(fed)}]], dtype=np.float64)`
        : `np.array([[${quoted(fed)}]], dtype=object)`;
    return `    ${quoted(column.name)}: ${array},`;
  });
  const answer =
    output.task === 'classification'
      ? [
          `classes = [${classNames(output).map(quoted).join(', ')}]`,
          'label, probabilities = session.run(["label", "probabilities"], feeds)',
          'print(json.dumps({',
          `    "label": ${graphLabelType(output.labels) === 'int64' ? 'int(label[0])' : 'str(label[0])'},`,
          '    "probabilities": dict(zip(classes, probabilities[0].tolist())),',
          '}))',
        ]
      : ['(value,) = session.run(["value"], feeds)', 'print(json.dumps({"value": float(value[0][0])}))'];
  return [
    'import json',
    '',
    'import numpy as np',
    'import onnxruntime as ort',
    '',
    `session = ort.InferenceSession(${quoted(MODEL_FILE)})`,
    '# One row; for N rows, stack them: each input is [N, 1].',
    'feeds = {',
    ...feeds,
    '}',
    ...answer,
  ].join('\n');
}

/** The feeds object's lines, shared by the Node and the browser snippet (both take `ort.Tensor`). */
function tensorLines(row: ExampleRow): string[] {
  return row.cells.map(({ column, value }) => {
    const fed = graphValue(column, value);
    const tensor =
      typeof fed === 'number'
        ? `new ort.Tensor("float64", Float64Array.from([${jsNumber(fed)}]), [1, 1])`
        : `new ort.Tensor("string", [${quoted(fed)}], [1, 1])`;
    return `  ${quoted(column.name)}: ${tensor},`;
  });
}

/** The lines that read the outputs and print one JSON line (label as text: an int64 label is a BigInt). */
function answerLines(output: ModelOutput): string[] {
  if (output.task === 'regression')
    return [
      'const { value } = await session.run(feeds);',
      'console.log(JSON.stringify({ value: Number(value.data[0]) }));',
    ];
  return [
    `const classes = [${classNames(output).map(quoted).join(', ')}];`,
    'const { label, probabilities } = await session.run(feeds);',
    'console.log(',
    '  JSON.stringify({',
    '    label: String(label.data[0]),',
    '    probabilities: Object.fromEntries(classes.map((name, k) => [name, Number(probabilities.data[k])])),',
    '  }),',
    ');',
  ];
}

/** An ES module (predict.mjs) for Node 18 or later. */
export function nodeSnippet(row: ExampleRow, output: ModelOutput): string {
  return [
    'import ort from "onnxruntime-node";',
    '',
    `const session = await ort.InferenceSession.create(${quoted(MODEL_FILE)});`,
    '// One row; for N rows, put N values in each array and use the shape [N, 1].',
    'const feeds = {',
    ...tensorLines(row),
    '};',
    ...answerLines(output),
  ].join('\n');
}

/**
 * An ES module for a bundler (Vite, webpack, esbuild), with model.onnx served beside the page. It asks
 * for the WebAssembly backend: onnxruntime's CPU kernels, which the graph's double and string tensors
 * need (the GPU backends are made for float models).
 */
export function browserSnippet(row: ExampleRow, output: ModelOutput): string {
  return [
    'import * as ort from "onnxruntime-web";',
    '',
    `const session = await ort.InferenceSession.create(${quoted(`./${MODEL_FILE}`)}, {`,
    '  executionProviders: ["wasm"],',
    '});',
    'const feeds = {',
    ...tensorLines(row),
    '};',
    ...answerLines(output),
  ].join('\n');
}

export function embeddingSnippets(row: ExampleRow, output: ModelOutput): EmbeddingSnippets {
  return {
    python: pythonSnippet(row, output),
    node: nodeSnippet(row, output),
    browser: browserSnippet(row, output),
  };
}
