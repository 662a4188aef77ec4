import { type ExampleRow, type ExampleValue, exampleRow, graphValue } from './embedding-example';
import { embeddingSnippets, graphLabelType } from './embedding-snippets';
import {
  MODEL_FILE,
  type ModelOutput,
  type ModelSignature,
  type ReferenceSample,
  type SignatureColumn,
  type VersionReference,
} from './version-schema';

/**
 * The README.md that goes with a version's model.onnx in its embedding download: what the file is,
 * the input signature (each raw column's type, tensor, whether it may be missing and how to say so,
 * its known values), the outputs, the example row, and code for Python, Node and the browser. Pure:
 * the app's route and any other caller give it what the registry holds.
 */

export interface EmbeddingReadmeInput {
  name: string;
  version: number;
  algorithm: string;
  onnxSha256: string;
  signature: ModelSignature;
  /** reference.json, when the version has one: its first row is the example. */
  sample?: ReferenceSample;
  /** The version's column reference (deciles, frequencies): typical values when there is no sample. */
  reference?: VersionReference;
}

/** What the Node snippet is saved as (an ES module, for its top-level await). */
export const NODE_SNIPPET_FILE = 'predict.mjs';

/** Markdown inline code that holds any text: a backtick run longer than any inside, spaces around. */
export function inlineCode(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const padded = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ` ${flat} ` : flat;
  return `${fence}${padded}${fence}`;
}

/** A table cell: its pipes escaped, so a column named "a|b" stays in its cell. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

/** A fenced code block whose fence no line inside can close. */
export function codeBlock(language: string, code: string): string {
  const longest = Math.max(0, ...(code.match(/`{3,}/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${code}\n${fence}`;
}

const TYPE_WORDS: Record<SignatureColumn['type'], string> = {
  number: 'number',
  boolean: 'boolean',
  string: 'text',
};

function tensorOf(column: SignatureColumn): string {
  if (column.type === 'string') return 'string [N, 1]';
  if (column.type === 'boolean') return 'float64 [N, 1]: 1 for true, 0 for false';
  return 'float64 [N, 1]';
}

function missingOf(column: SignatureColumn): string {
  if (!column.nullable) return 'not allowed: always give a value';
  return column.type === 'string' ? '`""` (the empty string)' : '`NaN`';
}

function knownValuesOf(column: SignatureColumn): string {
  if (!column.categories) return '';
  const values = column.categories.map(inlineCode).join(', ');
  return column.unknownCategories === 'reject'
    ? `${values}; the endpoint refuses any other value`
    : `${values}; any other value is taken as unseen`;
}

function inputsSection(inputs: readonly SignatureColumn[]): string {
  const rows = inputs.map((column) =>
    [
      inlineCode(column.name),
      TYPE_WORDS[column.type],
      tensorOf(column),
      column.nullable ? 'yes' : 'no',
      missingOf(column),
      knownValuesOf(column),
    ]
      .map(cell)
      .join(' | '),
  );
  return [
    '## Inputs',
    '',
    'One input per raw column, named as the column, in this order. Each is a tensor of shape [N, 1]:',
    'N rows, one value each. Numbers and booleans go in as float64 (double), text as string; a missing',
    'value is `NaN` in a number or boolean input and `""` in a text input, where the column allows one.',
    '',
    '| Input | Type | Tensor | Nullable | Missing value | Known values |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map((row) => `| ${row} |`),
  ].join('\n');
}

function outputsSection(output: ModelOutput): string {
  if (output.task === 'regression')
    return [
      '## Outputs',
      '',
      '| Output | Tensor | What it holds |',
      '| --- | --- | --- |',
      '| `value` | float64 [N, 1] | the predicted value of each row |',
    ].join('\n');
  const classes = output.labels.length;
  return [
    '## Outputs',
    '',
    '| Output | Tensor | What it holds |',
    '| --- | --- | --- |',
    `| \`label\` | ${graphLabelType(output.labels)} [N] | each row's predicted class: the one with the highest probability |`,
    `| \`probabilities\` | float32 [N, ${classes}] | each row's probability of each class, in the order below |`,
    '',
    'Classes, in the order of the probabilities:',
    '',
    ...output.labels.map((label, index) => `${index + 1}. ${inlineCode(String(label))}`),
  ].join('\n');
}

/** A value as the example table shows it: what a request would send, and what the graph is fed. */
function shownValue(column: SignatureColumn, value: ExampleValue): [sent: string, fed: string] {
  const fed = graphValue(column, value);
  const sent = value === null ? 'missing' : inlineCode(JSON.stringify(value));
  const feed = typeof fed === 'number' ? (Number.isNaN(fed) ? 'NaN' : String(fed)) : JSON.stringify(fed);
  return [sent, inlineCode(feed)];
}

function exampleSection(row: ExampleRow): string {
  const source =
    row.source === 'reference-sample'
      ? "The snippets feed one row: the first row of this version's reference sample (raw training values)."
      : 'The snippets feed one row of typical values (this version keeps no reference sample): the training median of each number (0 without one), the most common category (else the first known), false for yes/no, and "text" for free text.';
  return [
    '## Example row',
    '',
    source,
    '',
    '| Input | Value | Fed to the graph |',
    '| --- | --- | --- |',
    ...row.cells.map(
      ({ column, value }) =>
        `| ${[inlineCode(column.name), ...shownValue(column, value)].map(cell).join(' | ')} |`,
    ),
  ].join('\n');
}

function answerSentence(output: ModelOutput): string {
  return output.task === 'classification'
    ? 'Each prints one JSON line with the predicted `label` and the `probabilities` by class, as the endpoint answers for the same row.'
    : 'Each prints one JSON line with the predicted `value`, as the endpoint answers for the same row.';
}

export function embeddingReadme(input: EmbeddingReadmeInput): string {
  const { name, version, signature } = input;
  const row = exampleRow(signature.inputs, input.sample, input.reference);
  const snippets = embeddingSnippets(row, signature.output);
  const task =
    signature.output.task === 'classification'
      ? `classification into ${signature.output.labels.length} classes`
      : 'regression';
  return `${[
    `# ${name} v${version}: embedded use`,
    '',
    `Version ${version} of the Pipewright model ${inlineCode(name)}, to run inside your own program with`,
    'ONNX Runtime: no server, no network, no API key.',
    '',
    `- \`${MODEL_FILE}\`: the whole model. The raw columns go in; the fitted transforms (imputation,`,
    `  encoding, scaling, derived columns) and the ${input.algorithm} model run inside the graph. It answers as`,
    `  the serving endpoint \`POST /api/v1/models/${name}/versions/${version}/predict\` does.`,
    `- Task: ${task}.`,
    `- SHA-256 of ${MODEL_FILE}: \`${input.onnxSha256}\`.`,
    '- Operator sets: ai.onnx 21 and ai.onnx.ml 5 (ONNX 1.16), IR version 10: any ONNX Runtime that',
    '  implements them. The Node snippet is checked against onnxruntime-node 1.30 by Pipewright.',
    '',
    inputsSection(signature.inputs),
    '',
    outputsSection(signature.output),
    '',
    exampleSection(row),
    '',
    '## Python (onnxruntime)',
    '',
    '`pip install onnxruntime numpy`, then run this beside model.onnx:',
    '',
    codeBlock('python', snippets.python),
    '',
    '## Node (onnxruntime-node)',
    '',
    `\`npm install onnxruntime-node\`, save this as \`${NODE_SNIPPET_FILE}\` beside model.onnx and run \`node ${NODE_SNIPPET_FILE}\`:`,
    '',
    codeBlock('js', snippets.node),
    '',
    '## Browser (onnxruntime-web)',
    '',
    '`npm install onnxruntime-web`; in a module your bundler builds, with model.onnx served beside the page:',
    '',
    codeBlock('js', snippets.browser),
    '',
    answerSentence(signature.output),
  ].join('\n')}\n`;
}
