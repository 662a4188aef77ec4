import { describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../pipeline/document';
import { autoLayout } from './auto-layout';
import {
  addNode,
  connect,
  connectionProblem,
  duplicateNodes,
  inputChoices,
  reconnectInput,
  removeNodes,
} from './document-edits';
import { commit, redo, startHistory, undo } from './history';

const empty: PipelineDocument = { schemaVersion: 1, nodes: [], edges: [], parameters: [], notes: [] };

function chain(): PipelineDocument {
  let doc = addNode(empty, 'ingest', { x: 0, y: 0 }).doc;
  doc = addNode(doc, 'split', { x: 300, y: 0 }).doc;
  doc = addNode(doc, 'train', { x: 600, y: 0 }).doc;
  doc = connect(doc, { source: 'ingest_1', sourceHandle: 'data', target: 'split_1', targetHandle: 'data' });
  return doc;
}

describe('document edits', () => {
  it('gives new nodes unique ids per type', () => {
    const doc = chain();
    expect(doc.nodes.map((node) => node.id)).toEqual(['ingest_1', 'split_1', 'train_1']);
    expect(addNode(doc, 'split', { x: 0, y: 0 }).id).toBe('split_2');
  });

  it('refuses connections with the reason: kinds, taken inputs, loops, self', () => {
    const doc = chain();
    expect(
      connectionProblem(doc, {
        source: 'train_1',
        sourceHandle: 'model',
        target: 'split_1',
        targetHandle: 'data',
      }),
    ).toBe('Model is a model, but Data takes a dataset');
    expect(
      connectionProblem(doc, {
        source: 'split_1',
        sourceHandle: 'data',
        target: 'split_1',
        targetHandle: 'data',
      }),
    ).toBe('A step cannot feed itself');
    const withTrain = connect(doc, {
      source: 'split_1',
      sourceHandle: 'data',
      target: 'train_1',
      targetHandle: 'data',
    });
    expect(
      connectionProblem(withTrain, {
        source: 'ingest_1',
        sourceHandle: 'data',
        target: 'train_1',
        targetHandle: 'data',
      }),
    ).toBe('Training data already has a connection: remove it first');
    const looped = addNode(withTrain, 'clean', { x: 0, y: 0 }).doc;
    const cleanAfterSplit = connect(looped, {
      source: 'split_1',
      sourceHandle: 'data',
      target: 'clean_1',
      targetHandle: 'data',
    });
    expect(
      connectionProblem(cleanAfterSplit, {
        source: 'clean_1',
        sourceHandle: 'data',
        target: 'split_1',
        targetHandle: 'data',
      }),
    ).toBe('Data already has a connection: remove it first');
    expect(
      connectionProblem(doc, {
        source: 'split_1',
        sourceHandle: 'data',
        target: 'train_1',
        targetHandle: 'data',
      }),
    ).toBeUndefined();
  });

  it('offers the outputs that may feed an input, and reconnects it as one edit', () => {
    const doc = chain();
    // train_1's data input: ingest's and split's datasets fit; train's own model does not.
    expect(inputChoices(doc, 'train_1', 'data').map((choice) => `${choice.node}.${choice.port}`)).toEqual([
      'ingest_1.data',
      'split_1.data',
    ]);
    // split_1 is fed by ingest_1 already; offering split's own output would close a loop.
    expect(inputChoices(doc, 'split_1', 'data').map((choice) => choice.node)).toEqual(['ingest_1']);
    const moved = reconnectInput(doc, 'split_1', 'data', undefined);
    expect(moved.edges).toEqual([]);
    const fed = reconnectInput(doc, 'train_1', 'data', { node: 'split_1', port: 'data' });
    expect(fed.edges.map((edge) => edge.id)).toEqual([
      'ingest_1.data->split_1.data',
      'split_1.data->train_1.data',
    ]);
  });

  it('removes nodes with their edges, duplicates with fresh ids, and lays out left to right', () => {
    const doc = chain();
    expect(removeNodes(doc, new Set(['split_1'])).edges).toEqual([]);
    const copied = duplicateNodes(doc, doc.nodes.slice(0, 2), doc.edges);
    expect(copied.ids).toEqual(['ingest_2', 'split_2']);
    expect(copied.doc.edges.map((edge) => edge.id)).toContain('ingest_2.data->split_2.data');
    const laid = autoLayout(doc);
    const x = (id: string) => laid.nodes.find((node) => node.id === id)?.position.x ?? Number.NaN;
    expect(x('ingest_1')).toBeLessThan(x('split_1'));
  });
});

describe('history', () => {
  it('undoes and redoes each commit as one step, and a new edit clears redo', () => {
    let history = startHistory(1);
    history = commit(history, 2);
    history = commit(history, 3);
    history = undo(history);
    expect(history.present).toBe(2);
    history = redo(history);
    expect(history.present).toBe(3);
    history = undo(undo(history));
    expect(history.present).toBe(1);
    history = commit(history, 9);
    expect(redo(history).present).toBe(9);
    expect(undo(history).present).toBe(1);
  });
});
