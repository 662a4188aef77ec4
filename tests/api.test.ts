import { beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../app/_server/root';
import { createCallerFactory } from '../app/_server/trpc';
import type { RunChange } from '../db/queries/run-state';
import { pipelines } from '../db/schema';
import { setUpDatabaseAndWorker } from './support/fixture';
import { pipelineDoc } from './support/pipeline-doc';
import { testCaller, testContext } from './support/services';

const fixture = setUpDatabaseAndWorker();
let api: ReturnType<typeof testCaller>['caller'];

beforeAll(() => {
  api = testCaller(fixture.database, fixture.worker).caller;
});

const chain = pipelineDoc(
  [
    { id: 'ingest', type: 'test.source', config: { value: { $param: 'label' } } },
    { id: 'train', type: 'test.transform', config: { metric: 0.9 } },
  ],
  ['ingest.out->train.in'],
  [{ name: 'label', type: 'string', description: 'What the source writes' }],
);

describe('pipelines API', () => {
  it('creates, saves immutable versions, renames, duplicates and archives', async () => {
    const created = await api.pipelines.create({ name: 'Churn', document: chain });
    expect(created.version).toBe(1);
    const edited = {
      ...chain,
      nodes: chain.nodes.map((node) => ({ ...node, label: node.id.toUpperCase() })),
    };
    const saved = await api.pipelines.saveVersion({
      pipelineId: created.id,
      document: edited,
      message: 'labels',
    });
    expect(saved.version).toBe(2);
    const versions = await api.pipelines.versions({ pipelineId: created.id });
    expect(versions.map((version) => [version.version, version.message])).toEqual([
      [2, 'labels'],
      [1, ''],
    ]);
    const first = await api.pipelines.get({ id: created.id, versionId: created.versionId });
    expect(first.version.graph.nodes[0]?.label).toBe('');
    const latest = await api.pipelines.get({ id: created.id });
    expect(latest.version.graph.nodes[0]?.label).toBe('INGEST');

    await api.pipelines.rename({ id: created.id, name: 'Churn v2' });
    const copy = await api.pipelines.duplicate({ id: created.id });
    expect((await api.pipelines.get({ id: copy.id })).pipeline.name).toBe('Churn v2 (copy)');
    await api.pipelines.archive({ id: copy.id });
    const listed = await api.pipelines.list({ search: 'churn v2' });
    expect(listed.items.map((item) => item.name)).toEqual(['Churn v2']);
    const withArchived = await api.pipelines.list({ search: 'churn', includeArchived: true });
    expect(withArchived.items.map((item) => item.name).sort()).toEqual(['Churn v2', 'Churn v2 (copy)']);
  });

  it('pages through the list with a cursor, and treats % in a search as text', async () => {
    for (const name of ['Page A', 'Page B', 'Page C', '100% sure']) await api.pipelines.create({ name });
    const first = await api.pipelines.list({ search: 'page', limit: 2 });
    expect(first.items).toHaveLength(2);
    const second = await api.pipelines.list({ search: 'page', limit: 2, cursor: first.nextCursor });
    expect([...first.items, ...second.items].map((item) => item.name).sort()).toEqual([
      'Page A',
      'Page B',
      'Page C',
    ]);
    expect((await api.pipelines.list({ search: '%' })).items.map((item) => item.name)).toEqual(['100% sure']);
  });

  it('pages without gaps or repeats through rows saved in the same instant', async () => {
    const names = ['Same 1', 'Same 2', 'Same 3', 'Same 4', 'Same 5'];
    // One statement: every row gets the same now(), so only the id tells them apart.
    await fixture.database.db.insert(pipelines).values(names.map((name) => ({ name })));
    const seen: string[] = [];
    let cursor: { updatedAt: Date; id: string } | undefined;
    do {
      const page = await api.pipelines.list({ search: 'same', limit: 2, cursor });
      seen.push(...page.items.map((item) => item.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(names);
  });

  it('refuses an invalid document with the path of each problem, storing nothing', async () => {
    const created = await api.pipelines.create({ name: 'Keep me', document: chain });
    await expect(
      api.pipelines.saveVersion({ pipelineId: created.id, document: { nodes: [{ id: '', type: 1 }] } }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/nodes\.0\.id.*nodes\.0\.type/),
    });
    expect(await api.pipelines.versions({ pipelineId: created.id })).toHaveLength(1);
  });

  it('validates a document and returns the compiler’s problems', async () => {
    const broken = pipelineDoc([{ id: 't', type: 'test.transform' }], []);
    const result = await api.pipelines.validate({ document: broken });
    expect(result.valid).toBe(false);
    expect(result.problems.map((problem) => problem.code)).toEqual(['required-input-unconnected']);
    expect((await api.pipelines.validate({ document: chain })).valid).toBe(true);
    const forRun = await api.pipelines.validate({ document: chain, forRun: true });
    expect(forRun.problems.map((problem) => [problem.code, problem.parameter])).toEqual([
      ['missing-parameter-value', 'label'],
    ]);
  });
});

describe('runs API', () => {
  it('streams run errors and step messages with DATA_DIR in place of the server folder', async () => {
    const { caller, services } = testCaller(fixture.database, fixture.worker);
    const folder = fixture.worker.dataDir;
    const failing = pipelineDoc(
      [
        { id: 'a', type: 'test.source' },
        {
          id: 'b',
          type: 'test.transform',
          config: { failAttempts: 5, failMessage: `No file at ${folder}/uploads/gone.csv` },
          execution: { maxAttempts: 1 },
        },
      ],
      ['a.out->b.in'],
    );
    const created = await caller.pipelines.create({ name: 'Paths', document: failing });
    const controller = new AbortController();
    // The procedure itself, over the services: the path the browser's subscription takes.
    const streaming = createCallerFactory(appRouter)(testContext(services), { signal: controller.signal });
    const stream = await streaming.runs.onChange({});
    const received: RunChange[] = [];
    const subscription = (async () => {
      for await (const change of stream) {
        received.push(change);
        if (change.type === 'run' && change.status === 'failed') break;
      }
    })();
    await services.changes.ensureListening();
    const { runId } = await caller.runs.start({ pipelineId: created.id });
    await subscription;
    controller.abort();

    const texts = received
      .filter((change) => change.runId === runId)
      .flatMap((change) => (change.type === 'run' ? [change.error] : [change.message]))
      .filter((text) => typeof text === 'string');
    expect(texts.filter((text) => text.includes('DATA_DIR/uploads/gone.csv')).length).toBeGreaterThan(0);
    expect(texts.filter((text) => text.includes(folder))).toEqual([]);
  });

  it('starts a run with parameters, streams its changes live and shows it in history', async () => {
    const { caller, services } = testCaller(fixture.database, fixture.worker);
    const created = await caller.pipelines.create({ name: 'Live', document: chain });
    const controller = new AbortController();
    const received: RunChange[] = [];
    const subscription = (async () => {
      for await (const change of services.changes.changes({}, controller.signal)) {
        received.push(change);
        if (change.type === 'run' && change.status === 'succeeded') break;
      }
    })();
    await services.changes.ensureListening();

    const { runId } = await caller.runs.start({ pipelineId: created.id, parameters: { label: 'hello' } });
    await subscription;
    controller.abort();

    const ofRun = received.filter((change) => change.runId === runId);
    const stepChanges = ofRun.flatMap((change) =>
      change.type === 'step' ? [`${change.nodeId}:${change.status}`] : [],
    );
    expect(stepChanges).toEqual(['ingest:running', 'ingest:succeeded', 'train:running', 'train:succeeded']);
    expect(
      ofRun.filter((change) => change.type === 'run').map((change) => change.type === 'run' && change.status),
    ).toEqual(['running', 'succeeded']);

    const detail = await caller.runs.get({ runId });
    expect(detail).toMatchObject({
      status: 'succeeded',
      pipelineName: 'Live',
      version: 1,
      parameters: { label: 'hello' },
    });
    expect(detail.steps.map((step) => step.nodeId)).toEqual(['ingest', 'train']);
    expect(detail.artifacts).toHaveLength(2);
    // Files are named relative to DATA_DIR: the API never shows the server's absolute paths.
    for (const artifact of detail.artifacts) {
      expect(artifact.file).toMatch(/^artifacts\/.+/);
      expect(artifact).not.toHaveProperty('uri');
    }
    expect(JSON.stringify(detail)).not.toContain(fixture.worker.dataDir);
    expect(detail.steps[0]).not.toHaveProperty('outputs');
    const history = await caller.runs.list({ pipelineId: created.id, statuses: ['succeeded'] });
    expect(history.items.map((item) => item.id)).toEqual([runId]);
    expect(history.items[0]?.durationMs).toBeGreaterThan(0);
    expect((await caller.runs.list({ pipelineId: created.id, statuses: ['failed'] })).items).toEqual([]);
    const listed = await caller.pipelines.list({ search: 'Live' });
    expect(listed.items[0]?.lastRun).toMatchObject({ id: runId, status: 'succeeded' });
  });

  it('refuses to start a run that does not compile, listing the problems', async () => {
    const created = await api.pipelines.create({ name: 'Needs a label', document: chain });
    await expect(api.runs.start({ pipelineId: created.id })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'Parameter "label" needs a value',
    });
    expect((await api.runs.list({ pipelineId: created.id })).items).toEqual([]);
  });

  it('cancels a run and re-runs it', async () => {
    const slow = pipelineDoc(
      [
        { id: 'a', type: 'test.source' },
        { id: 'slow', type: 'test.transform', config: { sleepMs: 60_000 } },
      ],
      ['a.out->slow.in'],
    );
    const created = await api.pipelines.create({ name: 'Slow', document: slow });
    const { runId } = await api.runs.start({ pipelineId: created.id });
    await expect
      .poll(
        async () => (await api.runs.get({ runId })).steps.find((step) => step.nodeId === 'slow')?.status,
        { timeout: 20_000 },
      )
      .toBe('running');
    await api.runs.cancel({ runId });
    await expect
      .poll(async () => (await api.runs.get({ runId })).status, { timeout: 20_000 })
      .toBe('cancelled');

    const again = await api.runs.rerun({ runId, fromFailure: true });
    expect(again.reused).toEqual(['a']);
    await api.runs.cancel({ runId: again.runId });
    await expect
      .poll(async () => (await api.runs.get({ runId: again.runId })).status, { timeout: 20_000 })
      .toBe('cancelled');
    expect((await api.runs.get({ runId: again.runId })).rerunOfRunId).toBe(runId);
  });

  it('answers NOT_FOUND for a run that does not exist', async () => {
    await expect(api.runs.get({ runId: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
