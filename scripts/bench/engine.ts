/**
 * Engine overhead on the embedded services: `npx tsx scripts/bench/engine.ts [--runs 5] [--concurrent 50]`
 *
 * 1. A 7-step chain of no-op steps, run one at a time: wall time per run and per step, against the
 *    same seven node functions called directly in this process (the peer: no Temporal, no database).
 * 2. 50 runs of that chain started at once: runs and steps per second.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { NodeContext } from '../../nodes/_kit/context';
import { StepArtifacts } from '../../nodes/_kit/local-artifacts';
import { nodeRuns } from '../../nodes/runs';
import { isNodeType } from '../../nodes/specs';
import { compilePipeline } from '../../pipeline/compile';
import type { ArtifactRef, Plan } from '../../workflows/pipeline.types';
import { startRun } from '../../workflows/run-service';
import { chainDocument, ms, openBenchSession, percentile, saveBenchPipeline } from './harness';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, concurrent: { type: 'string', default: '50' } },
});
const sequentialRuns = Number(values.runs);
const concurrentRuns = Number(values.concurrent);
const STEPS = 7;

const session = await openBenchSession();
try {
  const services = { db: session.database.db, temporal: session.temporal, taskQueue: session.taskQueue };
  const versionId = await saveBenchPipeline(session, chainDocument(STEPS));
  const runOnce = async () => {
    const started = await startRun(services, { pipelineVersionId: versionId });
    await session.temporal.workflow.getHandle(started.workflowId).result();
  };

  await runOnce(); // warm-up: workflow cache, prepared statements
  const durations: number[] = [];
  for (let index = 0; index < sequentialRuns; index++) {
    const startedAt = performance.now();
    await runOnce();
    durations.push(performance.now() - startedAt);
  }
  durations.sort((a, b) => a - b);
  const median = percentile(durations, 0.5);

  const plan = compilePipeline(chainDocument(STEPS)).plan;
  if (!plan) throw new Error('bench pipeline does not compile');
  const peer = await directChain(plan);

  console.log(`\n7-step chain of no-op steps (${sequentialRuns} runs after a warm-up)`);
  console.log(
    `  Pipewright run      median ${ms(median)}  (min ${ms(durations[0] ?? 0)}, max ${ms(durations.at(-1) ?? 0)})`,
  );
  console.log(`  per step            ${ms(median / STEPS)}`);
  console.log(`  peer: direct calls  ${ms(peer)} for the same 7 node functions in-process`);
  console.log(
    `  overhead per step   ${ms((median - peer) / STEPS)}  (ratio run/peer ${(median / peer).toFixed(0)}×)`,
  );

  const burstStart = performance.now();
  await Promise.all(Array.from({ length: concurrentRuns }, runOnce));
  const seconds = (performance.now() - burstStart) / 1000;
  console.log(`\n${concurrentRuns} concurrent runs of the chain`);
  console.log(`  wall time           ${seconds.toFixed(2)} s`);
  console.log(
    `  throughput          ${(concurrentRuns / seconds).toFixed(1)} runs/s, ${((concurrentRuns * STEPS) / seconds).toFixed(0)} steps/s`,
  );
} finally {
  await session.close();
}

/** The peer: the same node functions called one after another, with a local artifact store and no bookkeeping. */
async function directChain(plan: Plan): Promise<number> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'pipewright-peer-'));
  const outputs = new Map<string, Record<string, ArtifactRef>>();
  const noop = () => {};
  const startedAt = performance.now();
  for (const step of plan.steps) {
    if (!isNodeType(step.type)) throw new Error(`unknown type ${step.type}`);
    const artifacts = new StepArtifacts(root, 'peer', step.nodeId, 1);
    await artifacts.prepare();
    const context: NodeContext = {
      runId: 'peer',
      nodeId: step.nodeId,
      attempt: 1,
      dataDir: root,
      artifacts,
      log: { info: noop, warn: noop, error: noop },
      progress: noop,
      signal: new AbortController().signal,
    };
    const inputs = Object.fromEntries(
      Object.entries(step.inputs).flatMap(([port, source]) => {
        const ref = outputs.get(source.nodeId)?.[source.port];
        return ref ? [[port, ref]] : [];
      }),
    );
    const result = await nodeRuns[step.type]({ config: step.config, inputs }, context);
    outputs.set(step.nodeId, result.outputs);
  }
  const elapsed = performance.now() - startedAt;
  rmSync(root, { recursive: true, force: true });
  return elapsed;
}
