import { describe, expect, it } from 'vitest';
import { exampleRow, graphValue } from './embedding-example';
import { codeBlock, embeddingReadme, inlineCode } from './embedding-readme';
import { nodeSnippet, pythonSnippet } from './embedding-snippets';
import type { ModelSignature, SignatureColumn } from './version-schema';

const size: SignatureColumn = { name: 'size', type: 'number', nullable: true, unknownCategories: 'accept' };
const weight: SignatureColumn = {
  name: 'weight',
  type: 'number',
  nullable: false,
  unknownCategories: 'accept',
};
const paid: SignatureColumn = { name: 'paid', type: 'boolean', nullable: true, unknownCategories: 'accept' };
const colour: SignatureColumn = {
  name: 'colour',
  type: 'string',
  nullable: false,
  categories: ['red', 'green', 'blue'],
  unknownCategories: 'reject',
};
const note: SignatureColumn = { name: 'note', type: 'string', nullable: true, unknownCategories: 'accept' };

const classifier: ModelSignature = {
  inputs: [size, weight, paid, colour, note],
  output: { task: 'classification', labels: ['big', 'small'] },
};

/** The fenced code under a README heading. */
function codeUnder(readme: string, heading: string): string {
  const section = readme.split(/^## /m).find((part) => part.startsWith(heading)) ?? '';
  return /^(`{3,})\w*\n([\s\S]*?)\n\1$/m.exec(section)?.[2] ?? '';
}

/** The rows of the README's table whose header starts with `header`, split into cells at unescaped pipes. */
function tableRows(readme: string, header: string): string[][] {
  const lines = readme.split('\n');
  const start = lines.findIndex((line) => line.startsWith(header));
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(2, -2)
        .split(/(?<!\\) \| /)
        .map((text) => text.trim()),
    );
  }
  return rows;
}

describe('the example row', () => {
  it("takes the reference sample's first row, by column name, in the graph's input order", () => {
    const row = exampleRow(
      classifier.inputs,
      {
        columns: ['note', 'colour', 'weight', 'label', 'size', 'paid'],
        rows: [
          [null, 'green', 17.5, 'big', 3, false],
          ['second', 'red', 1, 'small', 2, true],
        ],
      },
      undefined,
    );
    expect(row.source).toBe('reference-sample');
    expect(row.cells.map((each) => [each.column.name, each.value])).toEqual([
      ['size', 3],
      ['weight', 17.5],
      ['paid', false],
      ['colour', 'green'],
      ['note', null],
    ]);
  });

  it('puts a typical value where the sample has nothing usable: a missing value the column may not miss', () => {
    const row = exampleRow(
      classifier.inputs,
      { columns: ['size', 'weight', 'colour'], rows: [[null, null, 'blue']] },
      { weight: { kind: 'number', deciles: [1, 2, 3, 4, 42, 6, 7, 8, 9], missingRate: 0 } },
    );
    expect(row.cells.map((each) => each.value)).toEqual([null, 42, false, 'blue', 'text']);
  });

  it('without a sample: the median, the most common category, else 0, the first category, false', () => {
    const withReference = exampleRow(classifier.inputs, undefined, {
      size: { kind: 'number', deciles: [1, 2, 3, 4, 5.5, 6, 7, 8, 9], missingRate: 0.1 },
      colour: { kind: 'category', frequencies: { red: 0.2, blue: 0.7, green: 0.1 }, missingRate: 0 },
    });
    expect(withReference.source).toBe('typical-values');
    expect(withReference.cells.map((each) => each.value)).toEqual([5.5, 0, false, 'blue', 'text']);
    const bare = exampleRow(classifier.inputs, undefined, undefined);
    expect(bare.cells.map((each) => each.value)).toEqual([0, 0, false, 'red', 'text']);
  });

  it('is fed as serving feeds the graph: doubles (booleans 1/0, missing NaN) and strings (missing "")', () => {
    expect(graphValue(size, null)).toBeNaN();
    expect(graphValue(size, 2.5)).toBe(2.5);
    expect(graphValue(paid, true)).toBe(1);
    expect(graphValue(paid, false)).toBe(0);
    expect(graphValue(paid, null)).toBeNaN();
    expect(graphValue(note, null)).toBe('');
    expect(graphValue(colour, 'red')).toBe('red');
  });
});

describe('the embedding README', () => {
  const readme = embeddingReadme({
    name: 'sizes',
    version: 3,
    algorithm: 'logistic',
    onnxSha256: 'f'.repeat(64),
    signature: classifier,
    sample: { columns: ['size', 'weight', 'paid', 'colour', 'note'], rows: [[null, 20, true, 'red', 'hi']] },
  });

  it('names the model and version, the task, the file and the endpoint that answers alike', () => {
    expect(readme.startsWith('# sizes v3: embedded use\n')).toBe(true);
    expect(readme).toContain('- Task: classification into 2 classes.');
    expect(readme).toContain(`SHA-256 of model.onnx: \`${'f'.repeat(64)}\``);
    expect(readme).toContain('`POST /api/v1/models/sizes/versions/3/predict`');
  });

  it('gives each input its type, tensor, nullability, missing value and known values', () => {
    expect(tableRows(readme, '| Input | Type |')).toEqual([
      ['`size`', 'number', 'float64 [N, 1]', 'yes', '`NaN`', ''],
      ['`weight`', 'number', 'float64 [N, 1]', 'no', 'not allowed: always give a value', ''],
      ['`paid`', 'boolean', 'float64 [N, 1]: 1 for true, 0 for false', 'yes', '`NaN`', ''],
      [
        '`colour`',
        'text',
        'string [N, 1]',
        'no',
        'not allowed: always give a value',
        '`red`, `green`, `blue`; the endpoint refuses any other value',
      ],
      ['`note`', 'text', 'string [N, 1]', 'yes', '`""` (the empty string)', ''],
    ]);
  });

  it('gives the outputs and the classes in the order of the probabilities', () => {
    expect(tableRows(readme, '| Output |')).toEqual([
      ['`label`', 'string [N]', "each row's predicted class: the one with the highest probability"],
      ['`probabilities`', 'float32 [N, 2]', "each row's probability of each class, in the order below"],
    ]);
    expect(readme).toContain('Classes, in the order of the probabilities:\n\n1. `big`\n2. `small`\n');
  });

  it('shows the example row as sent and as fed', () => {
    expect(tableRows(readme, '| Input | Value |')).toEqual([
      ['`size`', 'missing', '`NaN`'],
      ['`weight`', '`20`', '`20`'],
      ['`paid`', '`true`', '`1`'],
      ['`colour`', '`"red"`', '`"red"`'],
      ['`note`', '`"hi"`', '`"hi"`'],
    ]);
  });

  it('has Python, Node and browser code feeding that row as [1, 1] tensors', () => {
    const python = codeUnder(readme, 'Python');
    expect(python).toContain('session = ort.InferenceSession("model.onnx")');
    expect(python).toContain('"size": np.array([[float("nan")]], dtype=np.float64),');
    expect(python).toContain('"weight": np.array([[20.0]], dtype=np.float64),');
    expect(python).toContain('"paid": np.array([[1.0]], dtype=np.float64),');
    expect(python).toContain('"colour": np.array([["red"]], dtype=object),');
    expect(python).toContain('"label": str(label[0]),');
    const node = codeUnder(readme, 'Node');
    expect(node.split('\n')[0]).toBe('import ort from "onnxruntime-node";');
    expect(node).toContain('"size": new ort.Tensor("float64", Float64Array.from([NaN]), [1, 1]),');
    expect(node).toContain('"colour": new ort.Tensor("string", ["red"], [1, 1]),');
    expect(node).toContain('const classes = ["big", "small"];');
    const browser = codeUnder(readme, 'Browser');
    expect(browser.split('\n')[0]).toBe('import * as ort from "onnxruntime-web";');
    expect(browser).toContain('executionProviders: ["wasm"]');
    expect(browser).toContain('"note": new ort.Tensor("string", ["hi"], [1, 1]),');
  });

  it('reads a regression graph\'s "value" and whole-number labels as int64', () => {
    const regression = embeddingReadme({
      name: 'price',
      version: 1,
      algorithm: 'linear',
      onnxSha256: '0'.repeat(64),
      signature: { inputs: [size], output: { task: 'regression' } },
    });
    expect(tableRows(regression, '| Output |')).toEqual([
      ['`value`', 'float64 [N, 1]', 'the predicted value of each row'],
    ]);
    expect(codeUnder(regression, 'Node')).toContain('const { value } = await session.run(feeds);');
    expect(codeUnder(regression, 'Python')).toContain('(value,) = session.run(["value"], feeds)');
    expect(regression).toContain('one row of typical values');

    const numbered = exampleRow([size], undefined, undefined);
    const output = { task: 'classification' as const, labels: [0, 1, 2] };
    expect(pythonSnippet(numbered, output)).toContain('"label": int(label[0]),');
    expect(
      embeddingReadme({
        name: 'digits',
        version: 1,
        algorithm: 'logistic',
        onnxSha256: '0'.repeat(64),
        signature: { inputs: [size], output },
      }),
    ).toContain('| `label` | int64 [N] |');
  });

  it('keeps hostile column names and values inside their cell, their code span and their string literal', () => {
    const hostile: SignatureColumn = {
      name: 'a|b`c"\n</script>',
      type: 'string',
      nullable: false,
      categories: ['x`y|z'],
      unknownCategories: 'accept',
    };
    const signature: ModelSignature = { inputs: [hostile], output: { task: 'regression' } };
    const text = embeddingReadme({
      name: 'odd',
      version: 1,
      algorithm: 'linear',
      onnxSha256: '0'.repeat(64),
      signature,
      sample: { columns: [hostile.name], rows: [['```\nrm -rf /']] },
    });
    const [inputRow] = tableRows(text, '| Input | Type |');
    expect(inputRow).toHaveLength(6);
    expect(inputRow?.[0]).toBe('``a\\|b`c" </script>``');
    expect(inputRow?.[5]).toBe('``x`y\\|z``; any other value is taken as unseen');
    // The sample's value holds a fence: each code block's fence is longer, so it closes where it should.
    const node = codeUnder(text, 'Node');
    expect(node.split('\n')[0]).toBe('import ort from "onnxruntime-node";');
    expect(node).toContain(
      `${JSON.stringify(hostile.name)}: new ort.Tensor("string", ["\`\`\`\\nrm -rf /"], [1, 1]),`,
    );
    // The snippet is JavaScript that compiles (its import and top-level await aside).
    const body = node.split('\n').slice(1).join('\n');
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
    expect(() => new AsyncFunction('ort', body)).not.toThrow();
  });

  it('writes code spans and fences longer than any backtick run inside', () => {
    expect(inlineCode('plain')).toBe('`plain`');
    expect(inlineCode('a``b')).toBe('```a``b```');
    expect(inlineCode('`edge')).toBe('`` `edge ``');
    expect(codeBlock('js', 'x\n````\ny')).toBe('`````js\nx\n````\ny\n`````');
    expect(nodeSnippet(exampleRow([size], undefined, undefined), { task: 'regression' })).not.toContain('`');
  });
});
