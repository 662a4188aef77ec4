import { beforeAll, describe, expect, it } from 'vitest';
import { setUpDatabaseAndWorker } from './support/fixture';
import { pipelineDoc } from './support/pipeline-doc';
import { testCaller } from './support/services';
import { rejection } from './support/trpc-rejection';

const fixture = setUpDatabaseAndWorker();
let api: ReturnType<typeof testCaller>['caller'];

beforeAll(() => {
  api = testCaller(fixture.database, fixture.worker).caller;
});

/** An iris pipeline whose feature node derives a column from `expression`. */
function deriving(expression: string) {
  return pipelineDoc(
    [
      { id: 'ingest', type: 'ingest', config: { source: 'sample', sample: 'iris' } },
      { id: 'feature', type: 'feature', config: { operations: [{ op: 'derive', name: 'd', expression }] } },
    ],
    ['ingest.data->feature.data'],
  );
}
const terms = (count: number) => Array.from({ length: count }, () => 'petal_length_cm').join(' + ');
const tooLong =
  '"feature": Expression is 215,997 characters long; the limit is 4,000. Split it into several derived columns.';

/** The TRPCError a call rejects with (the test fails if it resolves). */
describe('a 12,000-term expression', () => {
  it('saves with a problem on the field, and refuses to start a run naming it', async () => {
    const created = await api.pipelines.create({
      name: 'Deep expression',
      document: deriving('petal_length_cm'),
    });
    const saved = await api.pipelines.saveVersion({
      pipelineId: created.id,
      document: deriving(terms(12_000)),
    });
    expect(saved.version).toBe(2);
    expect(saved.problems).toEqual([
      {
        code: 'invalid-expression',
        severity: 'error',
        nodeId: 'feature',
        field: 'operations.0.expression',
        message: tooLong,
      },
    ]);
    const versions = await api.pipelines.versions({ pipelineId: created.id });
    expect(versions.map((version) => version.version)).toEqual([2, 1]);

    const error = await rejection(api.runs.start({ pipelineId: created.id }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toBe(tooLong);

    const validated = await api.pipelines.validate({ document: deriving(terms(101)) });
    expect(validated.valid).toBe(false);
    expect(
      validated.problems.map((problem) => [problem.code, problem.nodeId, problem.field, problem.message]),
    ).toEqual([
      [
        'invalid-expression',
        'feature',
        'operations.0.expression',
        expect.stringMatching(
          / is nested 101 levels deep .*; the limit is 100\. Split it into several derived columns\.$/,
        ),
      ],
    ]);
  });
});

describe('document limits through the API', () => {
  it('refuses 2,001 nodes and a 3 MB note with their limits, and saves nothing', async () => {
    const created = await api.pipelines.create({ name: 'Limits', document: deriving('petal_length_cm') });
    const nodes = Array.from({ length: 2001 }, (_, index) => ({ id: `n${index}`, type: 'test.source' }));
    const many = await rejection(
      api.pipelines.saveVersion({ pipelineId: created.id, document: pipelineDoc(nodes, []) }),
    );
    expect(many.code).toBe('BAD_REQUEST');
    expect(many.message).toBe('Not a valid pipeline: nodes: A pipeline holds at most 2,000 nodes');

    const note = { id: 'note', text: 'x'.repeat(3_000_000), position: { x: 0, y: 0 } };
    const noted = await rejection(
      api.pipelines.saveVersion({
        pipelineId: created.id,
        document: { ...deriving('petal_length_cm'), notes: [note] },
      }),
    );
    expect(noted.code).toBe('BAD_REQUEST');
    expect(noted.message).toBe('Not a valid pipeline: notes.0.text: must be at most 10,000 characters');
    const versions = await api.pipelines.versions({ pipelineId: created.id });
    expect(versions.map((version) => version.version)).toEqual([1]);
  });
});
