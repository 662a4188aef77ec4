/**
 * Compiler time for long chains: `npm run bench:compile [-- --sizes 1000,3000,10000 --repeat 5]`
 *
 * A chain of one ingest node (the iris sample, so columns are known and checked at every step)
 * followed by clean nodes, each filtering on a column. The compiler must stay linear in nodes plus
 * edges: the goal is a 10,000-node chain under 100 ms. The document is built in memory, not parsed,
 * because the document schema refuses more than DOCUMENT_LIMITS.nodes (2,000) nodes
 * (pipeline/document-limits.ts): this measures the compiler alone, past what a saved pipeline may
 * hold. pipeline/compile-linear.test.ts checks the same chain's work per node by counting calls.
 */
import { parseArgs } from 'node:util';
import { compilePipeline } from '../../pipeline/compile';
import { PIPELINE_SCHEMA_VERSION, type PipelineDocument } from '../../pipeline/document';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,3000,10000' },
    repeat: { type: 'string', default: '5' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const repeat = Number(values.repeat);
const ms = (value: number) => `${value.toFixed(1)} ms`;

function chain(length: number): PipelineDocument {
  const ids = Array.from({ length }, (_, index) => `n${index}`);
  return {
    schemaVersion: PIPELINE_SCHEMA_VERSION,
    nodes: ids.map((id, index) => ({
      id,
      type: index === 0 ? 'ingest' : 'clean',
      label: '',
      position: { x: index * 200, y: 0 },
      config:
        index === 0
          ? { source: 'sample', sample: 'iris' }
          : {
              operations: [
                { op: 'filter', condition: { column: 'petal_length_cm', operator: '>', value: index } },
              ],
            },
    })),
    edges: ids.slice(1).map((id, index) => ({
      id: `e${index}`,
      source: { node: `n${index}`, port: 'data' },
      target: { node: id, port: 'data' },
    })),
    parameters: [],
    notes: [],
  };
}

// Warm-up, so the first size does not pay for JIT compilation.
compilePipeline(chain(500));
for (const size of sizes) {
  const document = chain(size);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let attempt = 0; attempt < repeat; attempt++) {
    const startedAt = performance.now();
    const cpuAtStart = process.cpuUsage();
    const result = compilePipeline(document);
    const used = process.cpuUsage(cpuAtStart);
    wall.push(performance.now() - startedAt);
    cpu.push((used.user + used.system) / 1000);
    if (result.plan?.steps.length !== size) {
      throw new Error(`chain of ${size}: ${result.problems[0]?.message ?? 'no plan'}`);
    }
  }
  // CPU time too: on a shared machine the wall time mostly measures the other processes.
  console.log(
    `${String(size).padStart(6)} nodes: wall median ${ms(median(wall))}, best ${ms(Math.min(...wall))}; CPU median ${ms(median(cpu))} (${repeat} runs)`,
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
