import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../workflows/pipeline.types';
import { setUpDatabaseAndWorker } from './support/fixture';
import { pipelineDoc } from './support/pipeline-doc';
import { runRow } from './support/pipelines';
import { testCaller } from './support/services';
import { rejection } from './support/trpc-rejection';

const fixture = setUpDatabaseAndWorker();
let api: ReturnType<typeof testCaller>['caller'];

beforeAll(() => {
  api = testCaller(fixture.database, fixture.worker).caller;
});

/**
 * An ingest node whose sample comes from the parameter "toString". Its default names no sample, so
 * the pipeline runs only when the value given is the one used.
 */
const document = pipelineDoc(
  [{ id: 'ingest', type: 'ingest', config: { source: 'sample', sample: { $param: 'toString' } } }],
  [],
  [
    { name: 'constructor', type: 'number', default: 1, description: '' },
    { name: 'toString', type: 'string', default: 'no_such_sample', description: '' },
    { name: 'hasOwnProperty', type: 'boolean', default: false, description: '' },
  ],
);

/** The TRPCError a call rejects with (the test fails if it resolves). */
describe('parameters named like built-in object keys', () => {
  it('runs with values for constructor, toString and hasOwnProperty', async () => {
    const created = await api.pipelines.create({ name: 'Built-in names', document });
    // As a JSON body arrives: own keys, whatever their names.
    const parameters = JSON.parse('{"constructor": 7, "toString": "iris", "hasOwnProperty": true}');
    const started = await api.runs.start({ pipelineId: created.id, parameters });
    const result: RunResult = await fixture.worker.client.workflow.getHandle(`run-${started.runId}`).result();
    expect(result.status).toBe('succeeded');
    const row = await runRow(fixture.database.db, started.runId);
    expect(row?.parameters).toEqual({ constructor: 7, toString: 'iris', hasOwnProperty: true });
  });

  it('names a "__proto__" value as a parameter the pipeline lacks, instead of dropping it', async () => {
    const created = await api.pipelines.create({ name: 'Proto value', document });
    const parameters = JSON.parse('{"__proto__": "iris", "toString": "iris"}');
    const started = await rejection(api.runs.start({ pipelineId: created.id, parameters }));
    expect(started.code).toBe('BAD_REQUEST');
    expect(started.message).toBe('This pipeline has no parameter "__proto__"');

    const validated = await api.pipelines.validate({
      document,
      parameterValues: JSON.parse('{"__proto__": 1, "toString": "iris"}'),
    });
    expect(validated.problems.map((problem) => [problem.code, problem.parameter])).toEqual([
      ['undefined-parameter', '__proto__'],
    ]);
  });

  it('refuses to save a parameter named "__proto__", naming the parameter', async () => {
    const proto = pipelineDoc(
      [{ id: 'ingest', type: 'ingest', config: { source: 'sample', sample: { $param: '__proto__' } } }],
      [],
      [{ name: '__proto__', type: 'string', description: '' }],
    );
    const error = await rejection(api.pipelines.create({ name: 'Proto parameter', document: proto }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toBe(
      'Not a valid pipeline: parameters.0.name: must be a name like target_column: up to 64 letters, digits and _, not starting with a digit, and not __proto__',
    );
  });
});
