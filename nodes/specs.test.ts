import { describe, expect, it } from 'vitest';
import { compilePipeline } from '../pipeline/compile';
import { pipelineDoc } from '../tests/support/pipeline-doc';
import { nodeRun, nodeRuns } from './runs';
import { nodeSpec, nodeSpecs } from './specs';

describe('node registry', () => {
  it('keys every spec by its own stable type id', () => {
    for (const [key, spec] of Object.entries(nodeSpecs)) expect(spec.type).toBe(key);
  });

  it('has a form hint for every config field', () => {
    for (const spec of Object.values(nodeSpecs)) {
      for (const field of Object.keys(spec.config.shape)) expect(Object.keys(spec.ui)).toContain(field);
    }
  });

  it('holds production node types only: the test nodes live in tests/support', () => {
    expect(Object.keys(nodeSpecs).sort()).toEqual([
      'clean',
      'deploy',
      'evaluate',
      'feature',
      'ingest',
      'ingest.predictions',
      'monitor.drift',
      'monitor.retrain',
      'score',
      'split',
      'train',
    ]);
    expect(Object.keys(nodeRuns).sort()).toEqual(Object.keys(nodeSpecs).sort());
    for (const type of ['test.source', 'test.transform', 'test.join']) {
      expect(nodeSpec(type)).toBeUndefined();
      expect(nodeRun(type)).toBeUndefined();
    }
    const problems = compilePipeline(
      pipelineDoc([{ id: 'probe', type: 'test.transform', config: { failWhileMissing: '/etc/passwd' } }], []),
    ).problems;
    expect(problems.map((problem) => [problem.code, problem.nodeId])).toEqual([
      ['unknown-node-type', 'probe'],
    ]);
  });

  it('never finds an inherited property as a node type', () => {
    for (const type of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(nodeSpec(type)).toBeUndefined();
      expect(nodeRun(type)).toBeUndefined();
    }
  });
});
