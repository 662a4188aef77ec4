import { describe, expect, it, vi } from 'vitest';
import type { NodeSpec } from '../nodes/_kit/define-node';
import { nodeSpec } from '../nodes/specs';
import { pipelineDoc } from '../tests/support/pipeline-doc';
import { compilePipeline } from './compile';
import { hashValue } from './hash';

// The real hashValue, wrapped so the test can count its calls; what it returns is unchanged.
vi.mock('./hash', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./hash')>();
  return { hashValue: vi.fn(actual.hashValue) };
});

/** The bench's chain (scripts/bench/compile.ts): the iris sample, then clean nodes filtering on a column. */
function chain(length: number) {
  return pipelineDoc(
    Array.from({ length }, (_, index) =>
      index === 0
        ? { id: 'n0', type: 'ingest', config: { source: 'sample', sample: 'iris' } }
        : {
            id: `n${index}`,
            type: 'clean',
            config: {
              operations: [
                { op: 'filter', condition: { column: 'petal_length_cm', operator: '>', value: index } },
              ],
            },
          },
    ),
    Array.from({ length: length - 1 }, (_, index) => `n${index}.data->n${index + 1}.data`),
  );
}

/**
 * The object, behind a proxy that counts each read of one of its properties into `reads`. Reads of
 * the nodes and connections measure the compiler's own loops, which call nothing that could be
 * counted: a check that scanned all connections for each node would read length² times.
 */
function readCounted<T extends object>(target: T, reads: { count: number }): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      reads.count += 1;
      return Reflect.get(object, key, receiver);
    },
  });
}

/**
 * Compiles a chain with node specs that count how often the compiler asks for them, parses and
 * infers, and with nodes and connections that count their reads.
 */
function compileCounting(length: number) {
  const calls = { specOf: 0, configParses: 0, inferColumns: 0 };
  const reads = { count: 0 };
  const document = chain(length);
  const countedDocument = {
    ...document,
    nodes: document.nodes.map((node) => readCounted(node, reads)),
    edges: document.edges.map((edge) =>
      readCounted(
        { ...edge, source: readCounted(edge.source, reads), target: readCounted(edge.target, reads) },
        reads,
      ),
    ),
  };
  const counted = new Map<string, NodeSpec>();
  for (const type of ['ingest', 'clean']) {
    const spec = nodeSpec(type);
    if (!spec) throw new Error(`no node type ${type}`);
    const infer = spec.inferColumns;
    counted.set(type, {
      ...spec,
      config: spec.config.superRefine(() => {
        calls.configParses += 1;
      }),
      inferColumns:
        infer &&
        ((config, inputs) => {
          calls.inferColumns += 1;
          return infer(config, inputs);
        }),
    });
  }
  vi.mocked(hashValue).mockClear();
  const result = compilePipeline(countedDocument, {
    specOf: (type) => {
      calls.specOf += 1;
      return counted.get(type);
    },
  });
  expect(result.plan?.steps).toHaveLength(length);
  return { ...calls, hashes: vi.mocked(hashValue).mock.calls.length, reads: reads.count };
}

describe('compiling a chain does a fixed amount of work per node and connection', () => {
  // Counted calls, not timings (the machine's load says nothing about the code). A compiler that
  // looked a node's spec up, parsed its config or hashed a step once per upstream node would grow
  // with the square of the length; the 10,000-node chain took 4 s when it did.
  it.each([100, 1000])('%i nodes', (length) => {
    const connections = length - 1;
    expect(compileCounting(length)).toEqual({
      // Per node: its type checked, its required inputs, its config, its columns and its step;
      // per connection: the spec at each end, to check the ports.
      specOf: 5 * length + 2 * connections,
      configParses: length,
      inferColumns: length,
      hashes: length,
      reads: expect.any(Number),
    });
  });

  it('reads each node and connection a fixed number of times', () => {
    // Linear (reads = k·n + c) exactly when ten times the nodes adds ten times the reads, whatever
    // k and c are: a check scanning every connection for each node would add 90 times the reads.
    const tens = compileCounting(10).reads;
    const hundreds = compileCounting(100).reads;
    const thousands = compileCounting(1000).reads;
    expect(thousands - hundreds).toBe(10 * (hundreds - tens));
  });
});
