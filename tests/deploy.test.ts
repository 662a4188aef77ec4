import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { listPromotionRequests } from '../db/queries/promotion-requests';
import {
  ensureModel,
  findAliasedVersion,
  findModelByName,
  findModelVersion,
  listLedger,
  modelAliasVersions,
  readModelFile,
  setModelAlias,
} from '../db/queries/registry';
import { saveRolloutSettings } from '../db/queries/rollout';
import { artifacts, runEvents, runSteps } from '../db/schema';
import { artifactRefSchema } from '../nodes/_kit/artifact-ref';
import { StepArtifacts } from '../nodes/_kit/local-artifacts';
import { evaluationReportSchema } from '../nodes/evaluate/report-schema';
import { nodeRun } from '../nodes/runs';
import { type PipelineDocument, parsePipelineDocument } from '../pipeline/document';
import {
  modelSignatureSchema,
  referenceSampleSchema,
  versionReferenceSchema,
} from '../registry/version-schema';
import type { RunResult } from '../workflows/pipeline.types';
import { registryPort } from '../workflows/registry-port';
import { startRun } from '../workflows/run-service';
import { type Account, accountsAuth, createAccount } from './support/accounts';
import { setUpDatabaseAndWorker } from './support/fixture';
import { runGraph } from './support/ort';
import { pipelineDoc } from './support/pipeline-doc';
import { runServices, savePipeline, stepRows } from './support/pipelines';

const fixture = setUpDatabaseAndWorker();
let operator: Account;
let editor: Account;

beforeAll(async () => {
  const auth = accountsAuth(fixture.database.db);
  operator = await createAccount(auth, 'operator');
  editor = await createAccount(auth, 'editor');
});

/**
 * Breast cancer: split, standardise, train (algorithm and depth as parameters), evaluate with a
 * gate against production (margin as a parameter), deploy with the given config.
 */
function deployPipeline(
  deploy: Record<string, unknown>,
  dataEdge = 'split.data->deploy.data',
): PipelineDocument {
  return pipelineDoc(
    [
      { id: 'ingest', type: 'ingest', config: { source: 'sample', sample: 'breast_cancer' } },
      { id: 'split', type: 'split', config: { method: 'stratified', stratifyBy: 'target', seed: 42 } },
      {
        id: 'feature',
        type: 'feature',
        config: {
          operations: [{ op: 'standardize', columns: { byType: 'numeric', except: ['target'] } }],
          target: 'target',
        },
      },
      {
        id: 'train',
        type: 'train',
        config: { target: 'target', algorithm: { $param: 'algorithm' }, maxDepth: { $param: 'depth' } },
      },
      {
        id: 'evaluate',
        type: 'evaluate',
        config: {
          gates: [
            { metric: 'accuracy', operator: '>=', value: { $param: 'gateMargin' }, compare: 'production' },
          ],
        },
      },
      { id: 'deploy', type: 'deploy', config: deploy },
    ],
    [
      'ingest.data->split.data',
      'split.data->feature.data',
      'feature.data->train.data',
      'train.model->evaluate.model',
      'feature.data->evaluate.data',
      'train.model->deploy.model',
      'evaluate.report->deploy.report',
      dataEdge,
    ],
    [
      { name: 'algorithm', type: 'string', default: 'gradient_boosting', description: '' },
      { name: 'depth', type: 'number', default: 6, description: '' },
      { name: 'gateMargin', type: 'number', default: -1, description: '' },
    ],
  );
}

async function run(
  versionId: string,
  by: Account | { cliUser: string },
  parameters: Record<string, unknown> = {},
): Promise<{ runId: string; result: RunResult; deploy: Record<string, unknown> | undefined }> {
  const services = runServices(fixture.database.db, fixture.worker);
  const started = await startRun(services, {
    pipelineVersionId: versionId,
    parameters,
    ...('cliUser' in by ? { startedByCli: by.cliUser } : { startedBy: by.userId }),
  });
  const result: RunResult = await fixture.worker.client.workflow.getHandle(started.workflowId).result();
  const steps = await stepRows(fixture.database.db, started.runId);
  const summary = steps.find((step) => step.nodeId === 'deploy')?.outputSummary;
  return {
    runId: started.runId,
    result,
    deploy: typeof summary === 'object' && summary !== null ? { ...summary } : undefined,
  };
}

async function stepError(runId: string, nodeId: string): Promise<string | null | undefined> {
  const [step] = await fixture.database.db
    .select()
    .from(runSteps)
    .where(and(eq(runSteps.runId, runId), eq(runSteps.nodeId, nodeId)));
  return step?.error;
}

async function model(name: string) {
  const found = await findModelByName(fixture.database.sql, name);
  if (!found) throw new Error(`no model ${name}`);
  return found;
}

describe('the deploy node through Temporal', () => {
  it('registers a version with its signature, metrics, dataset, reference and files, and sets no alias', async () => {
    const { version } = await savePipeline(
      fixture.database.db,
      deployPipeline({ model: 'cancer', action: 'register' }),
    );
    const { runId, result, deploy } = await run(version.id, operator);
    expect(result.status).toBe('succeeded');
    expect(deploy).toMatchObject({
      model: 'cancer',
      version: 1,
      alias: null,
      decision: 'Registered cancer version 1; the action is register only.',
    });

    const registered = await model('cancer');
    expect(registered.ownerId).toBe(operator.userId);
    expect(await modelAliasVersions(fixture.database.sql, registered.id)).toEqual({});
    const stored = await findModelVersion(fixture.database.sql, registered.id, 1);
    if (!stored) throw new Error('no version 1');
    expect(stored).toMatchObject({
      runId,
      nodeId: 'deploy',
      pipelineVersionId: version.id,
      task: 'classification',
      algorithm: 'gradient_boosting',
      createdBy: operator.userId,
      labels: [0, 1],
    });

    // The signature: the 30 raw measurements, numbers, none missing in training, labels 0 and 1.
    const signature = modelSignatureSchema.parse(stored.signature);
    expect(signature.inputs).toHaveLength(30);
    expect(signature.inputs[0]).toEqual({
      name: 'mean_radius',
      type: 'number',
      unknownCategories: 'accept',
      nullable: false,
    });
    expect(signature.output).toEqual({ task: 'classification', labels: [0, 1] });

    // Metrics and gates are the evaluate step's; the dataset is the split step's output.
    const steps = await stepRows(fixture.database.db, runId);
    const evaluate = steps.find((step) => step.nodeId === 'evaluate');
    const [reportArtifact] = await fixture.database.db
      .select()
      .from(artifacts)
      .where(eq(artifacts.stepId, evaluate?.id ?? ''));
    const report = evaluationReportSchema.parse(
      JSON.parse(readFileSync(new URL(reportArtifact?.uri ?? ''), 'utf8')),
    );
    expect(stored.metrics).toEqual(report.metrics);
    expect(stored.gates).toEqual(report.gates);
    const split = steps.find((step) => step.nodeId === 'split');
    const [splitArtifact] = await fixture.database.db
      .select()
      .from(artifacts)
      .where(eq(artifacts.stepId, split?.id ?? ''));
    expect(stored.datasetSha256).toBe(splitArtifact?.sha256);
    expect(stored.datasetProfile).toEqual(splitArtifact?.profile);
    // The run's parameters (none given) and the train step's config, its references resolved.
    expect(stored.parameters).toMatchObject({
      run: {},
      train: {
        algorithm: 'gradient_boosting',
        target: 'target',
        config: { target: 'target', algorithm: 'gradient_boosting', maxDepth: 6 },
      },
    });

    // The reference: deciles of each input over the 456 training rows, and those rows as the sample.
    const reference = versionReferenceSchema.parse(stored.reference);
    expect(Object.keys(reference)).toHaveLength(30);
    const radius = reference.mean_radius;
    expect(radius?.kind).toBe('number');
    if (radius?.kind !== 'number') throw new Error('mean_radius is not a number');
    expect(radius.deciles).toHaveLength(9);
    expect(radius.missingRate).toBe(0);
    expect(radius.deciles[4]).toBeGreaterThan(12);
    expect(radius.deciles[4]).toBeLessThan(15);
    expect(stored.referenceRows).toBe(456);
    const sampleFile = await readModelFile(fixture.database.sql, stored.id, 'reference.json');
    const sample = referenceSampleSchema.parse(JSON.parse(sampleFile?.content.toString() ?? ''));
    expect(sample.columns).toEqual(signature.inputs.map((input) => input.name));
    expect(sample.rows).toHaveLength(456);

    // The version's files are in PostgreSQL: they outlive the run's folder.
    rmSync(path.join(fixture.worker.dataDir, 'artifacts', runId), { recursive: true, force: true });
    const onnx = await readModelFile(fixture.database.sql, stored.id, 'model.onnx');
    if (!onnx) throw new Error('no model.onnx');
    expect(onnx.content.byteLength).toBe(stored.onnxBytes);
    const first = sample.rows[0] ?? [];
    const columns = Object.fromEntries(sample.columns.map((name, index) => [name, [Number(first[index])]]));
    const answer = await runGraph(onnx.content, columns);
    expect(answer.probabilities?.dims).toEqual([1, 2]);
    expect([0, 1]).toContain(answer.label?.data[0]);
  });

  it('sets staging when asked to', async () => {
    const { version } = await savePipeline(
      fixture.database.db,
      deployPipeline({ model: 'staged', action: 'staging' }),
    );
    const { result, deploy, runId } = await run(version.id, operator);
    expect(result.status).toBe('succeeded');
    expect(deploy).toMatchObject({
      version: 1,
      alias: 'staging',
      decision: 'Set staging to staged version 1.',
    });
    const registered = await model('staged');
    expect(await modelAliasVersions(fixture.database.sql, registered.id)).toEqual({ staging: 1 });
    const [entry] = await listLedger(fixture.database.sql, registered.id);
    expect(entry).toMatchObject({
      alias: 'staging',
      fromVersion: null,
      toVersion: 1,
      actorKind: 'run',
      actorId: operator.userId,
      actorEmail: operator.email,
      runId,
      reason: 'Set staging to staged version 1.',
    });
  });

  it('promotes only a challenger that beats production on the same test rows, with both figures, and evaluate gates on that production version', async () => {
    const { version } = await savePipeline(
      fixture.database.db,
      deployPipeline({ model: 'champion', action: 'production', compareMetric: 'accuracy', margin: 0 }),
    );
    const stump = { algorithm: 'decision_tree', depth: 1 };
    const boosted = { algorithm: 'gradient_boosting', depth: 6 };

    // Nothing in production yet: the first version goes straight in.
    const first = await run(version.id, operator, stump);
    expect(first.result.status).toBe('succeeded');
    expect(first.deploy).toMatchObject({
      version: 1,
      alias: 'production',
      decision:
        'Promoted champion version 1 to production: there is no version in production to compare with.',
    });

    // Boosting beats a one-split tree: promoted, with both figures.
    const second = await run(version.id, operator, boosted);
    expect(second.result.status).toBe('succeeded');
    const won = second.deploy?.comparison;
    expect(won).toMatchObject({ metric: 'accuracy', margin: 0, productionVersion: 1 });
    const wonFigures = figures(won);
    expect(wonFigures.new).toBeGreaterThan(wonFigures.production);
    expect(second.deploy).toMatchObject({ version: 2, alias: 'production' });
    expect(second.deploy?.decision).toBe(
      `Promoted champion version 2 to production: it beats production version 1 on accuracy (new ${round(wonFigures.new)}, production ${round(wonFigures.production)}; needs at least production's figure).`,
    );
    // Its evaluate step compared with version 1, the pipeline's model in production then.
    const secondGate = await gateOf(second.runId);
    expect(secondGate?.note).toMatch(/^champion version 1 in production measured 0\.\d+$/);

    // The stump again: it loses to boosting and is registered without an alias.
    const third = await run(version.id, operator, stump);
    expect(third.result.status).toBe('succeeded');
    const lost = figures(third.deploy?.comparison);
    expect(lost.new).toBeLessThan(lost.production);
    expect(lost.new).toBeCloseTo(wonFigures.production, 10);
    expect(lost.production).toBeCloseTo(wonFigures.new, 10);
    expect(third.deploy).toMatchObject({ version: 3, alias: null });
    expect(third.deploy?.decision).toBe(
      `Registered champion version 3 without setting production: it does not beat production version 2 on accuracy (new ${round(lost.new)}, production ${round(lost.production)}; needs at least production's figure).`,
    );

    const registered = await model('champion');
    expect(await modelAliasVersions(fixture.database.sql, registered.id)).toEqual({ production: 2 });
    const ledger = await listLedger(fixture.database.sql, registered.id);
    expect(
      ledger.map((entry) => [entry.fromVersion, entry.toVersion, entry.runId, entry.actorEmail]),
    ).toEqual([
      [1, 2, second.runId, operator.email],
      [null, 1, first.runId, operator.email],
    ]);

    // The evaluate gate against production (version 2) fails when it asks for 50 points more; its
    // log names the version and its recorded figure.
    const gated = await run(version.id, operator, { ...boosted, gateMargin: 0.5 });
    expect(gated.result.status).toBe('failed');
    const production = await findAliasedVersion(fixture.database.sql, registered.id, 'production');
    const recorded = productionAccuracy(production?.metrics);
    expect(recorded).toBeCloseTo(wonFigures.new, 10);
    expect(await stepError(gated.runId, 'evaluate')).toBe(
      `Failed gates: accuracy >= production + 0.5 (measured ${round(recorded)})`,
    );
    const events = await fixture.database.db.select().from(runEvents).where(eq(runEvents.runId, gated.runId));
    expect(events.map((event) => event.message)).toContain(
      `Gate accuracy >= production + 0.5: measured ${recorded} (champion version 2 in production measured ${recorded}): failed`,
    );
    expect(gated.deploy).toBeUndefined();
  });

  it("stages instead of promoting when the run's person may not promote, saying why", async () => {
    const { version } = await savePipeline(
      fixture.database.db,
      deployPipeline({ model: 'guarded', action: 'production' }),
    );
    const { result, deploy } = await run(version.id, editor);
    expect(result.status).toBe('succeeded');
    expect(deploy).toMatchObject({
      version: 1,
      alias: 'staging',
      decision: `Set staging to guarded version 1, not production: the run was started by ${editor.email}, whose role (editor) may not promote; promoting to production needs the operator role or higher.`,
    });
    const registered = await model('guarded');
    expect(await modelAliasVersions(fixture.database.sql, registered.id)).toEqual({ staging: 1 });
    expect((await listLedger(fixture.database.sql, registered.id))[0]).toMatchObject({
      alias: 'staging',
      actorId: editor.userId,
      actorEmail: editor.email,
    });
  });

  it('files a pending promotion instead of promoting when the model requires approval, and says it awaits approval', async () => {
    const gated = await ensureModel(fixture.database.sql, { name: 'gated-deploy', ownerId: null });
    await saveRolloutSettings(
      fixture.database.sql,
      gated.id,
      { mode: 'none', canaryPercent: 10, requiresApproval: true },
      null,
    );
    const { version } = await savePipeline(
      fixture.database.db,
      deployPipeline({ model: 'gated-deploy', action: 'production' }),
    );
    const { runId, result, deploy } = await run(version.id, operator);
    expect(result.status).toBe('succeeded');
    expect(deploy).toMatchObject({ version: 1, alias: null, awaitingApproval: true });
    expect(String(deploy?.decision)).toMatch(
      /^Awaiting approval: gated-deploy requires an operator's approval to promote to production, so version 1 waits on the model page's Rollout tab \(production stays unset\)\. Promoted gated-deploy version 1 to production/,
    );
    expect(await modelAliasVersions(fixture.database.sql, gated.id)).toEqual({});
    const [request] = await listPromotionRequests(fixture.database.sql, gated.id);
    expect(request).toMatchObject({
      version: 1,
      status: 'pending',
      requestedByKind: 'run',
      requestedById: operator.userId,
      runId,
    });
  });

  it('promotes for a run the local CLI started: the CLI acts as an admin, as its other commands do', async () => {
    const { version } = await savePipeline(
      fixture.database.db,
      deployPipeline({ model: 'from-cli', action: 'production' }),
    );
    const { result, deploy } = await run(version.id, { cliUser: 'alice' });
    expect(result.status).toBe('succeeded');
    expect(deploy).toMatchObject({ version: 1, alias: 'production' });
    const registered = await model('from-cli');
    expect(await modelAliasVersions(fixture.database.sql, registered.id)).toEqual({ production: 1 });
    expect((await listLedger(fixture.database.sql, registered.id))[0]).toMatchObject({
      alias: 'production',
      actorKind: 'run',
      actorId: null,
      actorEmail: 'the local CLI (alice)',
    });
  });

  it('changes nothing when a retried step finds its version in production already, and does not stage it for a person who may not promote', async () => {
    const config = { model: 'retried', action: 'production', compareMetric: 'accuracy', margin: 0 };
    const { version } = await savePipeline(fixture.database.db, deployPipeline(config));
    // An editor's runs: version 1, then version 2, each goes to staging.
    const first = await run(version.id, editor);
    expect(first.deploy).toMatchObject({ version: 1, alias: 'staging' });
    expect((await run(version.id, editor)).deploy).toMatchObject({ version: 2, alias: 'staging' });
    // An operator promotes version 1; then the first run's deploy step runs again (attempt 2, as
    // when its worker died after attempt 1 had done its work).
    const registered = await model('retried');
    await setModelAlias(fixture.database.sql, {
      modelId: registered.id,
      alias: 'production',
      version: 1,
      by: { actorKind: 'user', actorId: operator.userId, actorEmail: operator.email, reason: 'looks good' },
    });
    const retried = await retryDeployStep(first.runId, config);

    const recorded = productionAccuracy(
      (await findModelVersion(fixture.database.sql, registered.id, 1))?.metrics,
    );
    expect(recorded).toBeGreaterThan(0.8);
    expect(retried.summary).toMatchObject({
      model: 'retried',
      version: 1,
      alias: null,
      decision: `Changed nothing: retried version 1 is already in production (accuracy ${round(recorded)}).`,
      comparison: {
        metric: 'accuracy',
        margin: 0,
        new: recorded,
        production: recorded,
        productionVersion: 1,
      },
    });
    expect(retried.logs).toContain('Version 1 of retried was registered by an earlier attempt of this step');
    // Staging still holds version 2, and the ledger has no entry from the retry.
    expect(await modelAliasVersions(fixture.database.sql, registered.id)).toEqual({
      production: 1,
      staging: 2,
    });
    expect((await listLedger(fixture.database.sql, registered.id)).map((entry) => entry.reason)).toEqual([
      'looks good',
      expect.stringMatching(/^Set staging to retried version 2, not production/),
      expect.stringMatching(/^Set staging to retried version 1, not production/),
    ]);
  });

  it('refuses data that has been through feature engineering, which the graph would transform again', async () => {
    const { version } = await savePipeline(
      fixture.database.db,
      deployPipeline({ model: 'twice', action: 'register' }, 'feature.data->deploy.data'),
    );
    const { runId, result } = await run(version.id, operator);
    expect(result.status).toBe('failed');
    expect(await stepError(runId, 'deploy')).toBe(
      "The data input has been through feature engineering already: connect the split step's output, whose raw rows the model's graph takes",
    );
    expect(await findModelByName(fixture.database.sql, 'twice')).toBeUndefined();
  });

  it('fails a model without an ONNX file, naming the transform in the way, and registers nothing', async () => {
    const upload = path.join(fixture.worker.dataDir, 'uploads', 'dates.csv');
    mkdirSync(path.dirname(upload), { recursive: true });
    const lines = Array.from({ length: 60 }, (_, row) => {
      const month = (row % 12) + 1;
      return `2026-${String(month).padStart(2, '0')}-15,${row % 7},${month > 6 ? 'late' : 'early'}`;
    });
    writeFileSync(upload, `day,x,label\n${lines.join('\n')}\n`);
    const doc = pipelineDoc(
      [
        { id: 'ingest', type: 'ingest', config: { source: 'file', file: 'uploads/dates.csv' } },
        { id: 'split', type: 'split', config: { method: 'random', seed: 1 } },
        {
          id: 'feature',
          type: 'feature',
          config: { operations: [{ op: 'date_parts', column: 'day', parts: ['month'] }], target: 'label' },
        },
        { id: 'train', type: 'train', config: { target: 'label', features: ['x', 'day_month'] } },
        { id: 'evaluate', type: 'evaluate', config: {} },
        { id: 'deploy', type: 'deploy', config: { model: 'dated', action: 'production' } },
      ],
      [
        'ingest.data->split.data',
        'split.data->feature.data',
        'feature.data->train.data',
        'train.model->evaluate.model',
        'feature.data->evaluate.data',
        'train.model->deploy.model',
        'evaluate.report->deploy.report',
        'split.data->deploy.data',
      ],
    );
    const { version } = await savePipeline(fixture.database.db, doc);
    const { runId, result } = await run(version.id, operator);
    expect(result.status).toBe('failed');
    expect(await stepError(runId, 'deploy')).toBe(
      'The model has no ONNX file, so it cannot be deployed: Transform step 1 (date_part) on column "day": dates and times cannot be graph inputs. Change or remove that step and train again.',
    );
    expect(await findModelByName(fixture.database.sql, 'dated')).toBeUndefined();
  });
});

const stepOutputsSchema = z.record(z.string(), artifactRefSchema);

/**
 * Runs a finished run's deploy step again as its attempt 2 would: the same run, step, inputs and
 * config, on the worker's data folder and the real registry port.
 */
async function retryDeployStep(runId: string, config: Record<string, unknown>) {
  const steps = await stepRows(fixture.database.db, runId);
  const output = (nodeId: string, port: string) => {
    const ref = stepOutputsSchema.parse(steps.find((step) => step.nodeId === nodeId)?.outputs)[port];
    if (!ref) throw new Error(`${nodeId} has no ${port} output`);
    return ref;
  };
  const artifactStore = new StepArtifacts(path.join(fixture.worker.dataDir, 'artifacts'), runId, 'deploy', 2);
  await artifactStore.prepare();
  const deploy = nodeRun('deploy');
  if (!deploy) throw new Error('no deploy node');
  const logs: string[] = [];
  const log = (message: string) => {
    logs.push(message);
  };
  const result = await deploy(
    {
      config,
      inputs: {
        model: output('train', 'model'),
        report: output('evaluate', 'report'),
        data: output('split', 'data'),
      },
    },
    {
      runId,
      nodeId: 'deploy',
      attempt: 2,
      dataDir: fixture.worker.dataDir,
      artifacts: artifactStore,
      log: { info: log, warn: log, error: log },
      progress: () => {},
      signal: new AbortController().signal,
      registry: registryPort(fixture.database.sql, { runId, nodeId: 'deploy' }),
    },
  );
  return { summary: result.summary, logs };
}

function figures(comparison: unknown): { new: number; production: number } {
  if (typeof comparison !== 'object' || comparison === null) throw new Error('no comparison');
  const values = Object.fromEntries(Object.entries(comparison));
  if (typeof values.new !== 'number' || typeof values.production !== 'number') throw new Error('no figures');
  return { new: values.new, production: values.production };
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function productionAccuracy(metrics: unknown): number {
  if (typeof metrics !== 'object' || metrics === null) return Number.NaN;
  const accuracy = Object.entries(metrics).find(([name]) => name === 'accuracy')?.[1];
  return typeof accuracy === 'number' ? accuracy : Number.NaN;
}

/** The evaluate step's first gate, from its report file. */
async function gateOf(runId: string) {
  const steps = await stepRows(fixture.database.db, runId);
  const evaluate = steps.find((step) => step.nodeId === 'evaluate');
  const [reportArtifact] = await fixture.database.db
    .select()
    .from(artifacts)
    .where(eq(artifacts.stepId, evaluate?.id ?? ''));
  if (!reportArtifact) return undefined;
  const { readFileSync } = await import('node:fs');
  return evaluationReportSchema.parse(JSON.parse(readFileSync(new URL(reportArtifact.uri), 'utf8'))).gates[0];
}

describe('examples/deploy.pipeline.json', () => {
  it("classifies, passes the gate and promotes version 1 to production for an operator's run", async () => {
    const example = path.resolve(import.meta.dirname, '..', 'examples', 'deploy.pipeline.json');
    const samples = path.resolve(import.meta.dirname, '..', 'nodes', 'ingest', 'samples');
    const upload = path.join(fixture.worker.dataDir, 'uploads', 'breast_cancer.csv');
    mkdirSync(path.dirname(upload), { recursive: true });
    copyFileSync(path.join(samples, 'breast_cancer.csv'), upload);
    const doc = parsePipelineDocument(JSON.parse(readFileSync(example, 'utf8')));
    const { version } = await savePipeline(fixture.database.db, doc, 'Deploy example');
    const { result, deploy } = await run(version.id, operator, {
      dataset: 'uploads/breast_cancer.csv',
      target: 'target',
      model: 'example-cancer',
    });
    expect(result.status).toBe('succeeded');
    expect(deploy).toMatchObject({
      model: 'example-cancer',
      version: 1,
      alias: 'production',
      decision: 'Promoted example-cancer version 1 to production.',
    });
    const registered = await model('example-cancer');
    expect(await modelAliasVersions(fixture.database.sql, registered.id)).toEqual({ production: 1 });
    // The example's clean step imputes every number: the signature lets them be missing.
    const stored = await findModelVersion(fixture.database.sql, registered.id, 1);
    const signature = modelSignatureSchema.parse(stored?.signature);
    expect(signature.inputs.find((input) => input.name === 'mean_radius')).toMatchObject({ nullable: true });
  });
});
