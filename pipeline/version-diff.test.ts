import { describe, expect, it } from 'vitest';
import { type PipelineDocument, type PipelineNode, parsePipelineDocument } from './document';
import { diffDocuments, formatPath, formatValue, hasChanges } from './version-diff';

const base = {
  nodes: [
    { id: 'ingest', type: 'ingest', label: 'Customers', position: { x: 0, y: 0 }, config: { path: 'a.csv' } },
    {
      id: 'clean',
      type: 'transform',
      position: { x: 300, y: 0 },
      config: {
        columns: ['age', 'income', 'tenure'],
        rules: [
          { column: 'age', op: '>', value: 18 },
          { column: 'income', op: '<', value: 1000 },
        ],
        seed: { $param: 'seed' },
      },
    },
    { id: 'train', type: 'train', position: { x: 600, y: 0 }, config: { target: 'churn', depth: 4 } },
  ],
  edges: [
    { id: 'e1', source: { node: 'ingest', port: 'data' }, target: { node: 'clean', port: 'data' } },
    { id: 'e2', source: { node: 'clean', port: 'data' }, target: { node: 'train', port: 'data' } },
  ],
  parameters: [
    { name: 'seed', type: 'number', default: 7 },
    { name: 'target', type: 'string', default: 'churn', description: 'What to predict' },
  ],
};

const original = parsePipelineDocument(base);

/** The base document with `edit` applied to a deep copy of it. */
function edited(edit: (document: PipelineDocument) => void): PipelineDocument {
  const copy = structuredClone(original);
  edit(copy);
  return parsePipelineDocument(copy);
}

/** The node with this id in a document being edited. */
function nodeOf(document: PipelineDocument, id: string): PipelineNode {
  const node = document.nodes.find((candidate) => candidate.id === id);
  if (!node) throw new Error(`no node ${id}`);
  return node;
}

describe('diffDocuments', () => {
  it('finds nothing between identical documents, and ignores key order', () => {
    const reordered = parsePipelineDocument({
      ...base,
      nodes: base.nodes.map((node) => ({
        config: node.config,
        position: node.position,
        type: node.type,
        id: node.id,
        label: node.label,
      })),
    });
    const diff = diffDocuments(original, reordered);
    expect(hasChanges(diff)).toBe(false);
    expect(diff.parameters).toEqual([]);
    expect(diff.nodes.map((node) => [node.id, node.kind, node.fields, node.moved])).toEqual([
      ['ingest', 'unchanged', [], false],
      ['clean', 'unchanged', [], false],
      ['train', 'unchanged', [], false],
    ]);
    expect(diff.edges.map((edge) => edge.kind)).toEqual(['unchanged', 'unchanged']);
    expect(diff.counts).toEqual({
      nodesAdded: 0,
      nodesRemoved: 0,
      nodesChanged: 0,
      nodesMoved: 0,
      edgesAdded: 0,
      edgesRemoved: 0,
      parametersChanged: 0,
      notesChanged: 0,
    });
    expect(diff.notes).toEqual([]);
  });

  it('reports a move alone as moved, not changed', () => {
    const diff = diffDocuments(
      original,
      edited((document) => {
        nodeOf(document, 'train').position = { x: 640, y: 120 };
      }),
    );
    expect(diff.nodes.find((node) => node.id === 'train')).toMatchObject({ kind: 'unchanged', moved: true });
    expect(diff.counts.nodesMoved).toBe(1);
    expect(hasChanges(diff)).toBe(false);
  });

  it('names nested config fields by path, old → new', () => {
    const diff = diffDocuments(
      original,
      edited((document) => {
        nodeOf(document, 'clean').config.rules = [
          { column: 'age', op: '>', value: 18 },
          { column: 'income', op: '<', value: 5000 },
        ];
        nodeOf(document, 'clean').config.columns = ['age', 'income', 'months'];
        nodeOf(document, 'train').config = {
          target: 'churn',
          depth: 6,
          splitter: 'best',
        };
        nodeOf(document, 'ingest').label = 'Customers 2024';
      }),
    );
    const fields = (id: string) =>
      diff.nodes
        .find((node) => node.id === id)
        ?.fields.map((field) => [field.at, field.kind, field.before, field.after]);
    expect(fields('clean')).toEqual([
      ['config.columns[2]', 'changed', 'tenure', 'months'],
      ['config.rules[1].value', 'changed', 1000, 5000],
    ]);
    expect(fields('train')).toEqual([
      ['config.depth', 'changed', 4, 6],
      ['config.splitter', 'added', undefined, 'best'],
    ]);
    expect(fields('ingest')).toEqual([['label', 'changed', 'Customers', 'Customers 2024']]);
    expect(diff.counts.nodesChanged).toBe(3);
    expect(diff.nodes.find((node) => node.id === 'clean')?.fields[1]?.path).toEqual([
      'config',
      'rules',
      1,
      'value',
    ]);
  });

  it('aligns arrays, so an inserted element is one addition and a dropped one one removal', () => {
    const diff = diffDocuments(
      original,
      edited((document) => {
        nodeOf(document, 'clean').config.columns = ['id', 'age', 'tenure'];
      }),
    );
    expect(diff.nodes[1]?.fields.map((field) => [field.at, field.kind, field.before, field.after])).toEqual([
      ['config.columns[0]', 'added', undefined, 'id'],
      ['config.columns[1]', 'removed', 'income', undefined],
    ]);
  });

  it('treats a parameter reference as one value, and a change of referenced name as a change', () => {
    const diff = diffDocuments(
      original,
      edited((document) => {
        nodeOf(document, 'clean').config.seed = { $param: 'random_seed' };
        nodeOf(document, 'train').config.depth = { $param: 'depth' };
      }),
    );
    const clean = diff.nodes.find((node) => node.id === 'clean');
    expect(clean?.fields).toEqual([
      {
        path: ['config', 'seed'],
        at: 'config.seed',
        kind: 'changed',
        before: { $param: 'seed' },
        after: { $param: 'random_seed' },
      },
    ]);
    const train = diff.nodes.find((node) => node.id === 'train');
    expect(
      train?.fields.map((field) => [field.at, formatValue(field.before), formatValue(field.after)]),
    ).toEqual([['config.depth', '4', '$depth']]);
  });

  it('reports added and removed nodes with their connections, identified by their ends not their ids', () => {
    const diff = diffDocuments(
      original,
      edited((document) => {
        document.nodes.splice(0, 1);
        document.nodes.push({
          id: 'load',
          type: 'ingest',
          label: '',
          position: { x: -300, y: 0 },
          config: { path: 'b.csv' },
        });
        document.edges = [
          { id: 'new-id', source: { node: 'load', port: 'data' }, target: { node: 'clean', port: 'data' } },
          // Same ends as e2 under another id: the same connection.
          { id: 'renamed', source: { node: 'clean', port: 'data' }, target: { node: 'train', port: 'data' } },
        ];
      }),
    );
    expect(diff.nodes.map((node) => [node.id, node.kind])).toEqual([
      ['clean', 'unchanged'],
      ['train', 'unchanged'],
      ['load', 'added'],
      ['ingest', 'removed'],
    ]);
    expect(diff.nodes.find((node) => node.id === 'ingest')?.before?.position).toEqual({ x: 0, y: 0 });
    expect(diff.edges.map((edge) => [edge.key, edge.kind])).toEqual([
      ['load.data→clean.data', 'added'],
      ['clean.data→train.data', 'unchanged'],
      ['ingest.data→clean.data', 'removed'],
    ]);
    expect(diff.counts).toMatchObject({ nodesAdded: 1, nodesRemoved: 1, edgesAdded: 1, edgesRemoved: 1 });
  });

  it('reports a rewired port as one connection removed and one added', () => {
    const diff = diffDocuments(
      original,
      edited((document) => {
        document.edges = [
          { id: 'e1', source: { node: 'ingest', port: 'data' }, target: { node: 'clean', port: 'data' } },
          {
            id: 'e2',
            source: { node: 'clean', port: 'data' },
            target: { node: 'train', port: 'validation' },
          },
        ];
      }),
    );
    expect(
      diff.edges.filter((edge) => edge.kind !== 'unchanged').map((edge) => [edge.key, edge.kind]),
    ).toEqual([
      ['clean.data→train.validation', 'added'],
      ['clean.data→train.data', 'removed'],
    ]);
  });

  it('reports parameters added, removed and changed, field by field', () => {
    const diff = diffDocuments(
      original,
      edited((document) => {
        document.parameters = [
          { name: 'seed', type: 'number', default: 42, description: '' },
          { name: 'threshold', type: 'number', default: 0.5, description: '' },
        ];
      }),
    );
    expect(
      diff.parameters.map((parameter) => [
        parameter.name,
        parameter.kind,
        parameter.fields.map((field) => [field.at, field.before, field.after]),
      ]),
    ).toEqual([
      ['seed', 'changed', [['default', 7, 42]]],
      ['threshold', 'added', []],
      ['target', 'removed', []],
    ]);
    expect(diff.counts.parametersChanged).toBe(3);
  });

  it('reports execution overrides and a changed type', () => {
    const diff = diffDocuments(
      original,
      edited((document) => {
        Object.assign(nodeOf(document, 'train'), { type: 'train-tree', execution: { maxAttempts: 3 } });
      }),
    );
    expect(diff.nodes[2]?.fields.map((field) => [field.at, field.kind, field.before, field.after])).toEqual([
      ['type', 'changed', 'train', 'train-tree'],
      ['execution.maxAttempts', 'added', undefined, 3],
    ]);
  });

  it('reports a whole nested object added or removed as one field', () => {
    const diff = diffDocuments(
      original,
      edited((document) => {
        nodeOf(document, 'ingest').config.options = { header: true, delimiter: ';' };
        nodeOf(document, 'clean').config.rules = [{ column: 'age', op: '>', value: 18 }];
      }),
    );
    expect(
      diff.nodes.flatMap((node) =>
        node.fields.map((field) => [field.at, field.kind, formatValue(field.before ?? field.after)]),
      ),
    ).toEqual([
      ['config.options', 'added', '{"header": true, "delimiter": ";"}'],
      ['config.rules[1]', 'removed', '{"column": "income", "op": "<", "value": 1000}'],
    ]);
  });
});

describe('diffDocuments on notes', () => {
  it('reports notes whose text changed, added or removed, but not one only moved', () => {
    const withNotes = (notes: PipelineDocument['notes']) => ({ ...original, notes });
    const note = (id: string, text: string, x = 0) => ({ id, text, position: { x, y: 0 } });
    const diff = diffDocuments(
      withNotes([note('why', 'Outliers hurt'), note('todo', 'Try SMOTE'), note('still', 'Same', 0)]),
      withNotes([
        note('why', 'Outliers hurt the linear model'),
        note('still', 'Same', 300),
        note('new', 'Gate raised'),
      ]),
    );
    expect(diff.notes).toEqual([
      { id: 'why', kind: 'changed', before: 'Outliers hurt', after: 'Outliers hurt the linear model' },
      { id: 'new', kind: 'added', after: 'Gate raised' },
      { id: 'todo', kind: 'removed', before: 'Try SMOTE' },
    ]);
    expect(diff.counts.notesChanged).toBe(3);
    expect(
      hasChanges(diffDocuments(withNotes([note('still', 'Same')]), withNotes([note('still', 'Same', 90)]))),
    ).toBe(false);
  });
});

describe('formatPath', () => {
  it('writes indexes in brackets and quotes keys that are not plain names', () => {
    expect(formatPath(['config', 'rules', 0, 'value'])).toBe('config.rules[0].value');
    expect(formatPath(['config', 'max depth'])).toBe('config["max depth"]');
  });
});
