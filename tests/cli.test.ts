import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSteps } from '../db/schema';
import { runCli } from './support/cli';
import { setUpDatabaseAndWorker } from './support/fixture';
import { pipelineDoc } from './support/pipeline-doc';

const fixture = setUpDatabaseAndWorker();
let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'pipewright-cli-'));
  // The embedded PostgreSQL (last test) runs as the postgres user, which must reach its data dir.
  chmodSync(scratch, 0o755);
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function writePipeline(name: string, document: unknown): string {
  const file = path.join(scratch, `${name}.pipeline.json`);
  writeFileSync(file, JSON.stringify(document));
  return file;
}

/** Runs the CLI against the test services (or, with `env`, whatever that environment names). */
function pipewright(args: string[], env?: Record<string, string>) {
  return runCli(fixture, path.join(scratch, 'data'), args, env);
}

const scored = pipelineDoc(
  [
    { id: 'ingest', type: 'test.source', config: { value: { $param: 'label' } } },
    { id: 'evaluate', type: 'test.transform', config: { metric: { $param: 'score' } } },
  ],
  ['ingest.out->evaluate.in'],
  [
    { name: 'label', type: 'string', default: 'x', description: '' },
    { name: 'score', type: 'number', default: 0.5, description: '' },
  ],
);

describe('pipewright CLI', () => {
  it('validates: exit 0 for a good file, exit 1 and every problem for a bad one', async () => {
    const good = await pipewright(['validate', writePipeline('good', scored)]);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/valid \(2 nodes\)/);
    const bad = await pipewright([
      'validate',
      writePipeline(
        'bad',
        pipelineDoc(
          [
            { id: 't', type: 'test.transform' },
            { id: 'x', type: 'nope' },
          ],
          [],
        ),
      ),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('error: Node "x" has an unknown type "nope" [node x]');
    expect(bad.stdout).toContain('error: Input "Data" of "t" needs a connection [node t, input in]');
  });

  it('validates a 12,000-term expression with a problem on its field instead of crashing', async () => {
    const expression = Array.from({ length: 12_000 }, () => 'petal_length_cm').join(' + ');
    const deep = pipelineDoc(
      [
        { id: 'ingest', type: 'ingest', config: { source: 'sample', sample: 'iris' } },
        { id: 'feature', type: 'feature', config: { operations: [{ op: 'derive', name: 'd', expression }] } },
      ],
      ['ingest.data->feature.data'],
    );
    const result = await pipewright(['validate', writePipeline('deep', deep)]);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split('\n')).toEqual([
      `${path.join(scratch, 'deep.pipeline.json')}: error: "feature": Expression is 215,997 characters long; the limit is 4,000. Split it into several derived columns. [node feature, field operations.0.expression]`,
    ]);
    expect(result.code).toBe(1);
  });

  it('runs a file with --wait --json: one object with runId, status, steps and metrics', async () => {
    const file = writePipeline('scored', scored);
    const result = await pipewright([
      'run',
      file,
      '--param',
      'label=hi',
      '--param',
      'score=0.93',
      '--wait',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(Object.keys(report)).toEqual(['runId', 'status', 'steps', 'metrics']);
    expect(report.status).toBe('succeeded');
    expect(
      report.steps.map((step: { nodeId: string; type: string; status: string }) => [
        step.nodeId,
        step.type,
        step.status,
      ]),
    ).toEqual([
      ['ingest', 'test.source', 'succeeded'],
      ['evaluate', 'test.transform', 'succeeded'],
    ]);
    // Each step's duration is the one its row records, from its start to its finish.
    const stored = await fixture.database.db
      .select({ nodeId: runSteps.nodeId, startedAt: runSteps.startedAt, finishedAt: runSteps.finishedAt })
      .from(runSteps)
      .where(eq(runSteps.runId, report.runId));
    const storedDurations = Object.fromEntries(
      stored.map((step) => [
        step.nodeId,
        step.startedAt && step.finishedAt ? step.finishedAt.getTime() - step.startedAt.getTime() : null,
      ]),
    );
    expect(
      Object.fromEntries(
        report.steps.map((step: { nodeId: string; durationMs: number }) => [step.nodeId, step.durationMs]),
      ),
    ).toEqual(storedDurations);
    expect(report.metrics).toEqual({ evaluate: { score: 0.93 } });

    // Running the unchanged file again reuses its pipeline version; the run list shows both runs.
    const again = await pipewright(['run', file, '--wait', '--json']);
    expect(JSON.parse(again.stdout).metrics).toEqual({ evaluate: { score: 0.5 } });
    const runs = await pipewright(['runs', '--json']);
    const listed = JSON.parse(runs.stdout).filter(
      (run: { pipelineName: string }) => run.pipelineName === 'scored',
    );
    expect(listed.map((run: { version: number }) => run.version)).toEqual([1, 1]);
  });

  it('exits 1 with the failed step and its error when the run fails', async () => {
    const failing = pipelineDoc(
      [
        { id: 'a', type: 'test.source' },
        {
          id: 'gate',
          type: 'test.transform',
          config: { failAlways: true, failMessage: 'accuracy 0.61 is below 0.85' },
        },
        { id: 'deploy', type: 'test.transform' },
      ],
      ['a.out->gate.in', 'gate.out->deploy.in'],
    );
    const result = await pipewright(['run', writePipeline('failing', failing), '--wait', '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.status).toBe('failed');
    expect(report.steps.find((step: { nodeId: string }) => step.nodeId === 'gate')).toMatchObject({
      status: 'failed',
      error: 'accuracy 0.61 is below 0.85',
    });
    expect(report.steps.find((step: { nodeId: string }) => step.nodeId === 'deploy')).toMatchObject({
      status: 'skipped',
    });
  });

  it('imports and exports a pipeline unchanged', async () => {
    const imported = await pipewright(['import', writePipeline('roundtrip', scored), '--json']);
    expect(imported.code).toBe(0);
    const { pipelineId } = JSON.parse(imported.stdout);
    const exported = await pipewright(['export', pipelineId]);
    expect(JSON.parse(exported.stdout)).toEqual(scored);
  });

  it('names the bad input: an unknown command, a missing file, a malformed --param', async () => {
    const unknown = await pipewright(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^pipewright: Unknown command "frobnicate"/);
    const missing = await pipewright(['run', path.join(scratch, 'nope.json'), '--wait']);
    expect(missing.stderr).toContain('no such file, and not a pipeline id');
    const malformed = await pipewright(['run', writePipeline('p', scored), '--param', 'label', '--wait']);
    expect(malformed.stderr).toContain('--param label: expected name=value');
    expect(malformed.code).toBe(2);
  });

  it('starts temporary embedded services for run --wait when nothing is running', async () => {
    const dataDir = path.join(scratch, 'standalone');
    const result = await pipewright(['run', writePipeline('standalone', scored), '--wait', '--json'], {
      DATABASE_URL: '',
      TEMPORAL_ADDRESS: '',
      PIPEWRIGHT_TASK_QUEUE: '',
      DATA_DIR: dataDir,
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).status).toBe('succeeded');
    expect(result.stderr).toContain('Starting the embedded PostgreSQL and Temporal for this run');
  }, 120_000);
});
