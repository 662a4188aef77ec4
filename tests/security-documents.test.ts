import { describe, expect, it } from 'vitest';
import { findNul, parsePipelineDocument } from '../pipeline/document';
import { pipelineDoc } from './support/pipeline-doc';

// PostgreSQL cannot store NUL in text or jsonb; a NUL that reached a query once answered 500 with the
// query's text. The document schema refuses it first, naming where it is.

describe('pipeline documents', () => {
  it('refuse NUL in any text, naming its path', () => {
    const document = pipelineDoc([{ id: 'a', type: 'ingest', config: { query: 'select\0' } }], []);
    expect(() => parsePipelineDocument(document)).toThrow(
      'Not a valid pipeline: nodes.0.config.query: must not contain the NUL character (\\0)',
    );
    const keyed = pipelineDoc([{ id: 'a', type: 'ingest', config: { 'bad\0key': 1 } }], []);
    expect(() => parsePipelineDocument(keyed)).toThrow(/nodes\.0\.config\.bad\0key: must not contain/);
    const clean = pipelineDoc([{ id: 'a', type: 'ingest', config: { source: 'sample' } }], []);
    expect(parsePipelineDocument(clean).nodes).toHaveLength(1);
  });
});

describe('findNul', () => {
  it('finds the first NUL in document order, in values and in keys', () => {
    expect(findNul({ a: 'ok', b: ['x', { c: 'bad\0' }], d: 'late\0' })).toEqual(['b', 1, 'c']);
    expect(findNul({ list: [{ 'k\0': 1 }] })).toEqual(['list', 0, 'k\0']);
    expect(findNul('\0')).toEqual([]);
    expect(findNul({ a: 1, b: null, c: [true, 'text'], d: new Date(0) })).toBeUndefined();
  });

  it('walks input nested far deeper than the call stack reaches', () => {
    let deep: unknown = 'bottom\0';
    for (let level = 0; level < 200_000; level++) deep = [deep];
    expect(findNul(deep)).toHaveLength(200_000);
  });
});
