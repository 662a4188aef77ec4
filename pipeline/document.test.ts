import { describe, expect, it } from 'vitest';
import { DocumentError, parsePipelineDocument } from './document';
import { DOCUMENT_LIMITS } from './document-limits';

const node = (id: string) => ({ id, type: 'ingest' });

/** The issues parsePipelineDocument reports, as "path: message". */
function issuesOf(input: unknown): string[] {
  try {
    parsePipelineDocument(input);
  } catch (error) {
    if (error instanceof DocumentError) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  return [];
}

describe('document limits', () => {
  it('states its limits', () => {
    expect(DOCUMENT_LIMITS).toMatchObject({ nodes: 2000, edges: 10_000, notes: 500, noteLength: 10_000 });
  });

  it('takes 2,000 nodes and refuses 2,001, saying what the limit is', () => {
    const nodes = Array.from({ length: 2001 }, (_, index) => node(`n${index}`));
    expect(parsePipelineDocument({ nodes: nodes.slice(0, 2000) }).nodes).toHaveLength(2000);
    expect(issuesOf({ nodes })).toEqual(['nodes: A pipeline holds at most 2,000 nodes']);
    expect(() => parsePipelineDocument({ nodes })).toThrow(
      'Not a valid pipeline: nodes: A pipeline holds at most 2,000 nodes',
    );
  });

  it('refuses more than 10,000 connections and 500 notes', () => {
    const edge = (index: number) => ({
      id: `e${index}`,
      source: { node: 'a', port: 'data' },
      target: { node: 'b', port: 'data' },
    });
    const edges = Array.from({ length: 10_001 }, (_, index) => edge(index));
    expect(issuesOf({ nodes: [], edges })).toEqual(['edges: A pipeline holds at most 10,000 connections']);
    const notes = Array.from({ length: 501 }, (_, index) => ({
      id: `n${index}`,
      text: '',
      position: { x: 0, y: 0 },
    }));
    expect(issuesOf({ nodes: [], notes })).toEqual(['notes: A pipeline holds at most 500 notes']);
  });

  it('refuses a note, label, name or port name that is too long, naming where', () => {
    const note = { id: 'n', text: 'x'.repeat(10_000), position: { x: 0, y: 0 } };
    expect(parsePipelineDocument({ nodes: [], notes: [note] }).notes[0]?.text).toHaveLength(10_000);
    expect(
      issuesOf({
        name: 'p'.repeat(201),
        nodes: [{ ...node('a'), label: 'l'.repeat(201) }],
        edges: [
          { id: 'e', source: { node: 'a', port: 'd'.repeat(201) }, target: { node: 'a', port: 'data' } },
        ],
        notes: [{ ...note, text: 'x'.repeat(3_000_000) }],
      }),
    ).toEqual([
      'name: must be at most 200 characters',
      'nodes.0.label: must be at most 200 characters',
      'edges.0.source.port: must be at most 200 characters',
      'notes.0.text: must be at most 10,000 characters',
    ]);
  });

  it('refuses a config nested deeper than the limit, without recursing', () => {
    let deep: unknown = 1;
    for (let level = 0; level < 100_000; level++) deep = { a: [deep] };
    const issues = issuesOf({ nodes: [{ ...node('a'), config: { value: deep } }] });
    expect(issues).toHaveLength(1);
    // The path stops where the 32nd level starts: 4 levels down to the config value, then 14 × a.0.
    expect(issues[0]).toBe(`nodes.0.config.value${'.a.0'.repeat(14)}: nested deeper than 32 levels`);
  });

  it('refuses "__proto__" as a key anywhere, and keeps other built-in names as plain keys', () => {
    const config = JSON.parse('{"__proto__": {"operations": []}}');
    expect(issuesOf({ nodes: [{ ...node('a'), config }] })).toEqual([
      'nodes.0.config: "__proto__" is not allowed as a key',
    ]);
    const nested = JSON.parse('{"options": {"__proto__": 1}}');
    expect(issuesOf({ nodes: [{ ...node('a'), config: nested }] })).toEqual([
      'nodes.0.config.options: "__proto__" is not allowed as a key',
    ]);
    const builtIns = { constructor: 1, toString: 'x', hasOwnProperty: [1] };
    const parsed = parsePipelineDocument({ nodes: [{ ...node('constructor'), config: builtIns }] });
    expect(parsed.nodes[0]?.config).toEqual(builtIns);
    expect(Object.keys(parsed.nodes[0]?.config ?? {})).toEqual(['constructor', 'toString', 'hasOwnProperty']);
  });
});

describe('parameter names', () => {
  const parameter = (name: string) => ({ name, type: 'string' });
  const rule =
    'must be a name like target_column: up to 64 letters, digits and _, not starting with a digit, and not __proto__';

  it('refuses "__proto__" and names that are not identifiers, on the parameter', () => {
    // A "__proto__" value would be dropped on its way in (zod's records, plain-object copies).
    expect(issuesOf({ nodes: [], parameters: [parameter('ok'), parameter('__proto__')] })).toEqual([
      `parameters.1.name: ${rule}`,
    ]);
    expect(issuesOf({ nodes: [], parameters: ['1st', 'a-b', 'a b', ''].map(parameter) })).toEqual(
      [0, 1, 2, 3].map((index) => `parameters.${index}.name: ${rule}`),
    );
  });

  it('takes other built-in object names as ordinary names', () => {
    // A leading _ was allowed before the __proto__ rule; pipelines saved with one must still open.
    const names = [
      'constructor',
      'toString',
      'hasOwnProperty',
      'valueOf',
      'target_column2',
      '_hidden',
      '__x',
    ];
    const parsed = parsePipelineDocument({ nodes: [], parameters: names.map(parameter) });
    expect(parsed.parameters.map((declared) => declared.name)).toEqual(names);
  });
});
