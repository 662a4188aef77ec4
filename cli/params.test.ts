import { describe, expect, it } from 'vitest';
import { compilePipeline } from '../pipeline/compile';
import { parsePipelineDocument } from '../pipeline/document';
import { parseParamFlags } from './params';

/** An iris pipeline declaring parameters named like Object.prototype's members. */
const document = parsePipelineDocument({
  nodes: [{ id: 'ingest', type: 'ingest', config: { source: 'sample', sample: 'iris' } }],
  parameters: [
    { name: 'constructor', type: 'number' },
    { name: 'toString', type: 'string' },
    { name: 'hasOwnProperty', type: 'boolean' },
  ],
});

describe('--param flags', () => {
  it('types values by their declarations, whatever the names', async () => {
    const flags = ['constructor=3', 'toString=setosa', 'hasOwnProperty=yes'];
    const values = await parseParamFlags(document, flags, '/nonexistent');
    expect(Object.entries(values)).toEqual([
      ['constructor', 3],
      ['toString', 'setosa'],
      ['hasOwnProperty', true],
    ]);
    const compiled = compilePipeline(document, { parameterValues: values, requireValues: true });
    expect(compiled.problems).toEqual([]);
  });

  it('keeps --param __proto__=… as a value, so the compiler names it instead of dropping it', async () => {
    const flags = ['__proto__=x', 'constructor=1', 'toString=a', 'hasOwnProperty=no'];
    const values = await parseParamFlags(document, flags, '/nonexistent');
    expect(Object.hasOwn(values, '__proto__')).toBe(true);
    expect(Object.entries(values)[0]).toEqual(['__proto__', 'x']);
    expect(Object.getPrototypeOf(values)).toBe(Object.prototype);
    const compiled = compilePipeline(document, { parameterValues: values, requireValues: true });
    expect(compiled.problems).toEqual([
      {
        code: 'undefined-parameter',
        severity: 'error',
        parameter: '__proto__',
        message: 'This pipeline has no parameter "__proto__"',
      },
    ]);
  });
});
