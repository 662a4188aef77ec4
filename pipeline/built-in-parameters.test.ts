import { describe, expect, it } from 'vitest';
import { specOfWithTestNodes } from '../tests/support/nodes/specs';
import { pipelineDoc } from '../tests/support/pipeline-doc';
import { compilePipeline } from './compile';

const doc = pipelineDoc(
  [
    { id: 'source', type: 'test.source', config: { value: { $param: '$scheduledTime' } } },
    { id: 'work', type: 'test.transform' },
  ],
  ['source.out->work.in'],
);

function sourceValue(plan: ReturnType<typeof compilePipeline>['plan']): unknown {
  return plan?.steps.find((step) => step.nodeId === 'source')?.config.value;
}

describe('built-in parameters', () => {
  it('substitutes $scheduledTime given by the caller, as ISO 8601 in UTC', () => {
    const { plan, problems } = compilePipeline(doc, {
      specOf: specOfWithTestNodes,
      requireValues: true,
      builtInValues: { $scheduledTime: '2026-03-01T07:00:00+01:00' },
    });
    expect(problems).toEqual([]);
    expect(sourceValue(plan)).toBe('2026-03-01T06:00:00.000Z');
  });

  it('prefers a stored $scheduledTime among the values (a re-run keeps its scheduled time)', () => {
    const { plan } = compilePipeline(doc, {
      specOf: specOfWithTestNodes,
      requireValues: true,
      parameterValues: { $scheduledTime: '2026-01-31T06:00:00.000Z' },
      builtInValues: { $scheduledTime: '2026-12-07T09:00:00.000Z' },
    });
    expect(sourceValue(plan)).toBe('2026-01-31T06:00:00.000Z');
  });

  it('leaves it unknown while editing, and says so when a run needs it and no one knows it', () => {
    expect(compilePipeline(doc, { specOf: specOfWithTestNodes }).problems).toEqual([]);
    const { plan, problems } = compilePipeline(doc, { specOf: specOfWithTestNodes, requireValues: true });
    expect(plan).toBeUndefined();
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'missing-parameter-value',
        nodeId: 'source',
        field: 'value',
        parameter: '$scheduledTime',
        message: expect.stringContaining(
          'Field "value" of node "source" uses $scheduledTime, which is known only once a run starts',
        ),
      }),
    ]);
  });

  it('refuses a $scheduledTime that is not a time', () => {
    const { problems } = compilePipeline(doc, {
      specOf: specOfWithTestNodes,
      parameterValues: { $scheduledTime: 'yesterday' },
    });
    expect(problems.map((problem) => problem.message)).toEqual([
      'Parameter "$scheduledTime" must be a date and time in ISO 8601, e.g. 2026-01-31T06:00:00.000Z',
    ]);
  });

  it('still reports an unknown "$" name as undefined', () => {
    const other = pipelineDoc(
      [{ id: 'source', type: 'test.source', config: { value: { $param: '$today' } } }],
      [],
    );
    expect(
      compilePipeline(other, { specOf: specOfWithTestNodes }).problems.map((problem) => problem.code),
    ).toEqual(['undefined-parameter']);
  });
});
