import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNode } from '../nodes/_kit/define-node';
import { specOfWithTestNodes } from '../tests/support/nodes/specs';
import { pipelineDoc } from '../tests/support/pipeline-doc';
import { type CompileOptions, compilePipeline as compileWith } from './compile';
import { type PipelineDocument, parsePipelineDocument } from './document';

/** A document from nodes and [from, to] edges written "node.port". */
function doc(
  nodes: Parameters<typeof pipelineDoc>[0],
  edges: [string, string][] = [],
  parameters: PipelineDocument['parameters'] = [],
) {
  return pipelineDoc(
    nodes,
    edges.map(([from, to]) => `${from}->${to}`),
    parameters,
  );
}

/** These tests use the test-only node types (tests/support/nodes) as well as production's. */
const compilePipeline = (document: PipelineDocument, options: CompileOptions = {}) =>
  compileWith(document, { specOf: specOfWithTestNodes, ...options });

const codes = (document: PipelineDocument, options = {}) =>
  compilePipeline(document, options).problems.map((problem) =>
    [
      problem.code,
      problem.nodeId ?? problem.edgeId ?? problem.parameter,
      problem.field ?? problem.port,
    ].filter(Boolean),
  );

describe('compilePipeline', () => {
  it('plans a valid pipeline in topological order with dependencies, defaults and activity options', () => {
    const result = compilePipeline(
      doc(
        [
          { id: 'join', type: 'test.join' },
          { id: 'b', type: 'test.transform', config: { sleepMs: 5 } },
          { id: 'a', type: 'test.source' },
          { id: 'c', type: 'test.transform' },
        ],
        [
          ['a.out', 'b.in'],
          ['a.out', 'c.in'],
          ['b.out', 'join.left'],
          ['c.out', 'join.right'],
        ],
      ),
    );
    expect(result.problems).toEqual([]);
    expect(result.plan?.steps.map((step) => [step.nodeId, step.dependsOn])).toEqual([
      ['a', []],
      ['b', ['a']],
      ['c', ['a']],
      ['join', ['b', 'c']],
    ]);
    const b = result.plan?.steps[1];
    expect(b?.config).toEqual({
      sleepMs: 5,
      failAttempts: 0,
      failAlways: false,
      failMessage: 'Simulated failure',
    });
    expect(b?.inputs).toEqual({ in: { nodeId: 'a', port: 'out' } });
    expect(b?.activity).toEqual({ startToClose: '10 minutes', heartbeat: '5 seconds', maxAttempts: 3 });
    expect(b?.label).toBe('Test transform');
  });

  it('orders a node fed twice by one node after it, once', () => {
    const result = compilePipeline(
      doc(
        [
          { id: 'j', type: 'test.join' },
          { id: 'a', type: 'test.source' },
        ],
        [
          ['a.out', 'j.left'],
          ['a.out', 'j.right'],
        ],
      ),
    );
    expect(result.plan?.steps.map((step) => [step.nodeId, step.dependsOn])).toEqual([
      ['a', []],
      ['j', ['a']],
    ]);
  });

  it('gives equal hashes for equal work and different hashes when config or upstream change', () => {
    const base = doc(
      [
        { id: 'a', type: 'test.source', config: { value: 'x' } },
        { id: 'b', type: 'test.transform' },
      ],
      [['a.out', 'b.in']],
    );
    const hashes = (document: PipelineDocument) =>
      compilePipeline(document).plan?.steps.map((step) => step.hash) ?? [];
    const [a1, b1] = hashes(base);
    const reordered = doc(
      [
        { id: 'a', type: 'test.source', config: { value: 'x', sleepMs: 0 } },
        { id: 'b', type: 'test.transform' },
      ],
      [['a.out', 'b.in']],
    );
    expect(hashes(reordered)).toEqual([a1, b1]);
    const upstreamChanged = doc(
      [
        { id: 'a', type: 'test.source', config: { value: 'y' } },
        { id: 'b', type: 'test.transform' },
      ],
      [['a.out', 'b.in']],
    );
    const [a2, b2] = hashes(upstreamChanged);
    expect(a2).not.toBe(a1);
    expect(b2).not.toBe(b1);
    expect(a1).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reports an unknown node type', () => {
    expect(codes(doc([{ id: 'x', type: 'magic.box' }]))).toEqual([['unknown-node-type', 'x']]);
  });

  it('reports a cycle on every node in it, naming the loop', () => {
    const result = compilePipeline(
      doc(
        [
          { id: 'src', type: 'test.source' },
          { id: 'j', type: 'test.join' },
          { id: 't', type: 'test.transform' },
        ],
        [
          ['src.out', 'j.left'],
          ['j.out', 't.in'],
          ['t.out', 'j.right'],
        ],
      ),
    );
    const cycles = result.problems.filter((problem) => problem.code === 'cycle');
    expect(cycles.map((problem) => problem.nodeId).sort()).toEqual(['j', 't']);
    expect(cycles[0]?.message).toBe('Connections form a loop: j → t → j (connections e1, e2)');
    expect(cycles.map((problem) => [problem.nodeId, problem.edgeId])).toEqual([
      ['j', 'e1'],
      ['t', 'e2'],
    ]);
    expect(result.plan).toBeUndefined();
  });

  it('names a real loop of three or more nodes, by its connections, even when the group has a chord', () => {
    // a → c and a → b → c → a: the group {a, b, c} is found in the order a, c, b, but there is no
    // connection c → b, so the loop is followed along real edges instead.
    const result = compilePipeline(
      doc(
        [
          { id: 'a', type: 'test.transform' },
          { id: 'b', type: 'test.transform' },
          { id: 'c', type: 'test.join' },
          { id: 'src', type: 'test.source' },
          { id: 'x', type: 'test.transform' },
          { id: 'y', type: 'test.transform' },
          { id: 'z', type: 'test.join' },
        ],
        [
          ['a.out', 'c.left'],
          ['a.out', 'b.in'],
          ['b.out', 'c.right'],
          ['c.out', 'a.in'],
          ['src.out', 'z.left'],
          ['z.out', 'x.in'],
          ['x.out', 'y.in'],
          ['y.out', 'z.right'],
        ],
      ),
    );
    const cycles = result.problems.filter((problem) => problem.code === 'cycle');
    expect(cycles.map((problem) => [problem.nodeId, problem.edgeId, problem.message])).toEqual([
      ['a', 'e0', 'Connections form a loop: a → c → a (connections e0, e3)'],
      ['c', 'e3', 'Connections form a loop: a → c → a (connections e0, e3)'],
      ['b', undefined, 'Connections form a loop: a → c → a (connections e0, e3)'],
      ['z', 'e5', 'Connections form a loop: z → x → y → z (connections e5, e6, e7)'],
      ['x', 'e6', 'Connections form a loop: z → x → y → z (connections e5, e6, e7)'],
      ['y', 'e7', 'Connections form a loop: z → x → y → z (connections e5, e6, e7)'],
    ]);
    expect(result.plan).toBeUndefined();
  });

  it('reports a node connected to itself, naming the connection', () => {
    const result = compilePipeline(
      doc(
        [
          { id: 'src', type: 'test.source' },
          { id: 'j', type: 'test.join' },
        ],
        [
          ['src.out', 'j.left'],
          ['j.out', 'j.right'],
        ],
      ),
    );
    expect(result.problems).toEqual([
      {
        code: 'cycle',
        severity: 'error',
        nodeId: 'j',
        edgeId: 'e1',
        message: 'Connections form a loop: j → j (connection e1)',
      },
    ]);
  });

  it('reports a required input left unconnected', () => {
    expect(codes(doc([{ id: 'lonely', type: 'test.transform', label: 'Clean' }]))).toEqual([
      ['required-input-unconnected', 'lonely', 'in'],
    ]);
    expect(
      compilePipeline(doc([{ id: 'lonely', type: 'test.transform', label: 'Clean' }])).problems[0]?.message,
    ).toBe('Input "Data" of "Clean" (lonely) needs a connection');
  });

  it('reports a second edge into one input', () => {
    const twoIntoOne = doc(
      [
        { id: 'a', type: 'test.source' },
        { id: 'b', type: 'test.source' },
        { id: 't', type: 'test.transform' },
      ],
      [
        ['a.out', 't.in'],
        ['b.out', 't.in'],
      ],
    );
    expect(codes(twoIntoOne)).toEqual([['multiple-edges-into-input', 't']]);
    expect(compilePipeline(twoIntoOne).problems[0]?.edgeId).toBe('e1');
  });

  it('reports a port kind mismatch and an unknown port', () => {
    // A test registry: the built-in types plus a node with a model input, fed here by a dataset output.
    const specOf = (type: string) => (type === 'model.sink' ? testSinkSpec : builtIn(type));
    const result = compilePipeline(
      doc(
        [
          { id: 'a', type: 'test.source' },
          { id: 'm', type: 'model.sink' },
        ],
        [
          ['a.out', 'm.model'],
          ['a.nope', 'm.model'],
        ],
      ),
      { specOf },
    );
    expect(result.problems.map((problem) => problem.code)).toEqual([
      'port-kind-mismatch',
      'unknown-port',
      'required-input-unconnected',
    ]);
    expect(result.problems[0]?.message).toBe(
      'Cannot connect the dataset output "out" of "a" to the model input "model" of "m"',
    );
    expect(result.problems[1]?.message).toBe('Node "a" has no output "nope"');
  });

  it('reports an edge to a node that does not exist', () => {
    expect(codes(doc([{ id: 'a', type: 'test.source' }], [['a.out', 'ghost.in']]))).toEqual([
      ['unknown-edge-endpoint', 'e0'],
    ]);
  });

  it('reports config that fails its schema, with the field path and label', () => {
    const result = compilePipeline(
      doc([{ id: 'a', type: 'test.source', config: { sleepMs: -5, value: 3 } }]),
    );
    expect(result.problems.map((problem) => [problem.code, problem.field])).toEqual([
      ['invalid-config', 'value'],
      ['invalid-config', 'sleepMs'],
    ]);
    expect(result.problems[1]?.message).toMatch(/^"a": "Sleep \(ms\)" Too small/);
  });

  it('substitutes parameters, and reports undefined ones, missing values and wrong types', () => {
    const parameters = [
      { name: 'label', type: 'string' as const, default: 'fallback', description: '' },
      { name: 'pause', type: 'number' as const, description: '' },
    ];
    const document = doc(
      [
        {
          id: 'a',
          type: 'test.source',
          config: { value: { $param: 'label' }, sleepMs: { $param: 'pause' } },
        },
      ],
      [],
      parameters,
    );
    // While editing, an unset parameter is unknown, not an error.
    expect(codes(document)).toEqual([]);
    expect(codes(document, { requireValues: true })).toEqual([['missing-parameter-value', 'pause']]);
    const planned = compilePipeline(document, { parameterValues: { pause: 7 }, requireValues: true });
    expect(planned.plan?.steps[0]?.config).toEqual({ value: 'fallback', sleepMs: 7 });
    expect(codes(document, { parameterValues: { pause: 'soon' } })).toEqual([
      ['invalid-parameter-value', 'pause'],
    ]);
    expect(codes(document, { parameterValues: { pause: 1, extra: 2 } })).toEqual([
      ['undefined-parameter', 'extra'],
    ]);
    const undefinedRef = doc([{ id: 'a', type: 'test.source', config: { value: { $param: 'nope' } } }]);
    expect(codes(undefinedRef)).toEqual([['undefined-parameter', 'a', 'value']]);
  });

  it('does not judge a list while a parameter inside it has no value, and judges it once it has', () => {
    const document = doc(
      [
        { id: 'in', type: 'ingest', config: { source: 'sample', sample: 'iris' } },
        {
          id: 'clean',
          type: 'clean',
          config: { operations: [{ op: 'drop', columns: [{ $param: 'col' }] }] },
        },
      ],
      [['in.data', 'clean.data']],
      [{ name: 'col', type: 'string', description: '' }],
    );
    expect(codes(document)).toEqual([]);
    expect(codes(document, { parameterValues: { col: 'sepal_length_cm' } })).toEqual([]);
    expect(codes(document, { parameterValues: { col: 'no_such_column' } })).toEqual([
      ['unknown-column', 'clean', 'operations.0.columns'],
    ]);
  });

  it('warns about a disconnected node without blocking the plan', () => {
    const result = compilePipeline(
      doc(
        [
          { id: 'a', type: 'test.source' },
          { id: 'b', type: 'test.source' },
          { id: 't', type: 'test.transform' },
        ],
        [['a.out', 't.in']],
      ),
    );
    expect(result.problems.map((problem) => [problem.code, problem.severity, problem.nodeId])).toEqual([
      ['disconnected-node', 'warning', 'b'],
    ]);
    expect(result.plan?.steps).toHaveLength(3);
  });

  it('reports duplicate node ids and duplicate parameters', () => {
    const document = doc(
      [
        { id: 'a', type: 'test.source' },
        { id: 'a', type: 'test.source' },
      ],
      [],
      [
        { name: 'p', type: 'string', description: '' },
        { name: 'p', type: 'number', description: '' },
      ],
    );
    expect(codes(document)).toEqual([
      ['duplicate-node-id', 'a'],
      ['duplicate-parameter', 'p'],
    ]);
  });

  it('returns every problem at once', () => {
    const problems = codes(
      doc([
        { id: 'x', type: 'magic' },
        { id: 't', type: 'test.transform', config: { sleepMs: 'long' } },
      ]),
    );
    expect(problems).toEqual([
      ['unknown-node-type', 'x'],
      ['required-input-unconnected', 't', 'in'],
      ['invalid-config', 't', 'sleepMs'],
      ['disconnected-node', 'x'],
      ['disconnected-node', 't'],
    ]);
  });
});

describe('names that are also built-in object members', () => {
  const builtInNames = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];

  it('reports an edge to or from a port with such a name as an unknown port', () => {
    for (const port of builtInNames) {
      const result = compilePipeline(
        doc(
          [
            { id: 'a', type: 'test.source' },
            { id: 'b', type: 'test.transform' },
          ],
          [
            ['a.out', 'b.in'],
            [`a.${port}`, `b.${port}`],
            [`a.out`, `b.${port}`],
          ],
        ),
      );
      expect(result.problems.map((problem) => [problem.code, problem.edgeId, problem.message])).toEqual([
        ['unknown-port', 'e1', `Node "a" has no output "${port}"`],
        ['unknown-port', 'e2', `Node "b" has no input "${port}"`],
      ]);
      expect(result.plan).toBeUndefined();
    }
  });

  it('connects ports a node type declares with such names, and keeps them as keys', () => {
    const ports = Object.fromEntries(
      builtInNames.map((name) => [name, { kind: 'dataset' as const, label: name }]),
    );
    const oddSpec = defineNode({
      ...testSinkSpec,
      type: 'odd.ports',
      inputs: ports,
      outputs: ports,
    });
    const specOf = (type: string) => (type === 'odd.ports' ? oddSpec : builtIn(type));
    const result = compilePipeline(
      doc(
        [
          { id: 'constructor', type: 'odd.ports' },
          { id: 'toString', type: 'odd.ports' },
        ],
        builtInNames.map((name) => [`constructor.${name}`, `toString.${name}`]),
      ),
      { specOf },
    );
    // Inputs of "constructor" are unconnected; those errors aside, the edges are all accepted.
    expect(new Set(result.problems.map((problem) => [problem.code, problem.nodeId].join(' ')))).toEqual(
      new Set(['required-input-unconnected constructor']),
    );
    expect(Object.keys(result.inputColumns)).toEqual(['constructor', 'toString']);
    expect(Object.keys(result.inputColumns.toString ?? {})).toEqual(builtInNames);
  });

  it('plans nodes with such ids, and parameters with such names', () => {
    const parameters = builtInNames.map((name) => ({
      name,
      type: 'string' as const,
      description: '',
    }));
    const document = doc(
      [
        { id: 'constructor', type: 'test.source', config: { value: { $param: 'constructor' } } },
        { id: 'toString', type: 'test.transform', config: { failMessage: { $param: '__proto__' } } },
        { id: 'hasOwnProperty', type: 'test.transform', config: { failMessage: { $param: 'toString' } } },
      ],
      [
        ['constructor.out', 'toString.in'],
        ['toString.out', 'hasOwnProperty.in'],
      ],
      parameters,
    );
    // As a JSON body arrives: "__proto__" is an own key, not the object's prototype.
    const given = JSON.parse(
      '{"constructor": "c", "__proto__": "p", "toString": "t", "hasOwnProperty": "h"}',
    );
    const result = compilePipeline(document, { parameterValues: given, requireValues: true });
    expect(result.problems).toEqual([]);
    expect(result.plan?.steps.map((step) => [step.nodeId, step.dependsOn])).toEqual([
      ['constructor', []],
      ['toString', ['constructor']],
      ['hasOwnProperty', ['toString']],
    ]);
    expect(result.plan?.steps[0]?.config.value).toBe('c');
    expect(result.plan?.steps[1]?.config.failMessage).toBe('p');
    expect(result.plan?.steps[2]?.config.failMessage).toBe('t');

    const missing = compilePipeline(document, { parameterValues: {}, requireValues: true });
    expect(missing.problems.map((problem) => [problem.code, problem.parameter])).toEqual(
      builtInNames.map((name) => ['missing-parameter-value', name]),
    );
    const unknown = compilePipeline(doc([{ id: 'a', type: 'test.source' }]), {
      parameterValues: JSON.parse('{"__proto__": 1, "constructor": 2}'),
    });
    expect(unknown.problems.map((problem) => [problem.code, problem.parameter])).toEqual([
      ['undefined-parameter', '__proto__'],
      ['undefined-parameter', 'constructor'],
    ]);
  });
});

describe('parsePipelineDocument', () => {
  it('reads a document without schemaVersion as version 1 and fills defaults', () => {
    const parsed = parsePipelineDocument({ nodes: [{ id: 'a', type: 'test.source' }] });
    expect(parsed).toEqual({
      schemaVersion: 1,
      nodes: [{ id: 'a', type: 'test.source', label: '', position: { x: 0, y: 0 }, config: {} }],
      edges: [],
      parameters: [],
      notes: [],
    });
  });

  it('refuses a document from a newer version', () => {
    expect(() => parsePipelineDocument({ schemaVersion: 99, nodes: [] })).toThrow(
      'saved by a newer Pipewright (schemaVersion 99',
    );
  });

  it('names the path of each problem', () => {
    expect(() =>
      parsePipelineDocument({ nodes: [{ id: 'bad id!', type: 'x' }], edges: [{ id: 'e', source: {} }] }),
    ).toThrow(/nodes\.0\.id: must be 1–64 letters.*edges\.0\.source\.node/);
  });
});

const builtIn = specOfWithTestNodes;
const testSinkSpec = defineNode({
  type: 'model.sink',
  version: 1,
  category: 'deploy',
  title: 'Model sink',
  description: 'Takes a model (compiler tests only).',
  icon: 'box',
  config: z.object({}),
  ui: {},
  inputs: { model: { kind: 'model', label: 'Model' } },
  outputs: {},
  execution: { startToClose: '1 minute', heartbeat: '10 seconds', maxAttempts: 1 },
});

describe('column checks before the run', () => {
  const ingestIris = { id: 'ingest', type: 'ingest', config: { source: 'sample', sample: 'iris' } };

  it('flags a misspelt column on its node and field, following columns through the steps', () => {
    const document = doc(
      [
        ingestIris,
        { id: 'split', type: 'split', config: { stratifyBy: 'species' } },
        {
          id: 'clean',
          type: 'clean',
          config: {
            operations: [
              { op: 'rename', from: 'target', to: 'species' },
              {
                op: 'filter',
                condition: {
                  all: [
                    { column: 'petal_length_cm', operator: '>', value: 1 },
                    { column: 'petal_lenght_cm', operator: '<', value: 9 },
                  ],
                },
              },
            ],
          },
        },
        {
          id: 'feature',
          type: 'feature',
          config: {
            operations: [{ op: 'derive', name: 'area', expression: 'petal_length_cm * petal_width' }],
            target: 'species',
          },
        },
      ],
      [
        ['ingest.data', 'split.data'],
        ['split.data', 'clean.data'],
        ['clean.data', 'feature.data'],
      ],
    );
    const problems = compilePipeline(document).problems;
    expect(problems.map((problem) => [problem.code, problem.nodeId, problem.field])).toEqual([
      ['unknown-column', 'split', 'stratifyBy'],
      ['unknown-column', 'clean', 'operations.1.condition'],
      ['unknown-column', 'feature', 'operations.0.expression'],
    ]);
    expect(problems[0]?.message).toBe(
      '"split": Column "species" is not in the data (columns: sepal_length_cm, sepal_width_cm, petal_length_cm, petal_width_cm, target)',
    );
    expect(problems[2]?.message).toContain('there is no column "petal_width"');
  });

  it('reports an expression that cannot be read as invalid, and a missing column in it as unknown', () => {
    const derive = (expression: string, index: number) => ({
      id: `derive${index}`,
      type: 'feature',
      config: { operations: [{ op: 'derive', name: 'd', expression }] },
    });
    const expressions = [
      'petal_length_cm +',
      'sqrt(petal_length_cm, 2)',
      'x'.repeat(4001),
      `${'-'.repeat(150)}petal_length_cm`,
      'petal_length_cm * col("petal width")',
    ];
    const document = doc(
      [
        { id: 'ingest', type: 'ingest', config: { source: 'sample', sample: 'iris' } },
        ...expressions.map(derive),
      ],
      expressions.map((_, index) => ['ingest.data', `derive${index}.data`]),
    );
    const problems = compilePipeline(document).problems;
    expect(problems.map((problem) => [problem.code, problem.nodeId, problem.field])).toEqual([
      ['invalid-expression', 'derive0', 'operations.0.expression'],
      ['invalid-expression', 'derive1', 'operations.0.expression'],
      ['invalid-expression', 'derive2', 'operations.0.expression'],
      ['invalid-expression', 'derive3', 'operations.0.expression'],
      ['unknown-column', 'derive4', 'operations.0.expression'],
    ]);
    expect(problems[2]?.message).toBe(
      '"derive2": Expression is 4,001 characters long; the limit is 4,000. Split it into several derived columns.',
    );
    expect(problems[3]?.message).toContain('is nested 151 levels deep');
    expect(problems[4]?.message).toContain('there is no column "petal width"');
  });

  it('stays silent when the columns depend on the data (a file not read yet)', () => {
    const document = doc(
      [
        { id: 'ingest', type: 'ingest', config: { source: 'file', file: 'uploads/any.csv' } },
        { id: 'split', type: 'split', config: { stratifyBy: 'whatever' } },
      ],
      [['ingest.data', 'split.data']],
    );
    expect(compilePipeline(document).problems).toEqual([]);
  });
});
