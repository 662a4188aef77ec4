import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type PipelineDocument, parsePipelineDocument } from '../../pipeline/document';

const examples = path.resolve(import.meta.dirname, '..', '..', 'examples');

/** Version 1: the deploy example as shipped (train, evaluate, then deploy to production). */
export function firstVersion(): PipelineDocument {
  return parsePipelineDocument(JSON.parse(readFileSync(path.join(examples, 'deploy.pipeline.json'), 'utf8')));
}

/**
 * Version 2, edited as an analyst might: the deploy step (with its three connections and its
 * `model` parameter) is gone, a "Clip outliers" step sits between clean and split, split holds out
 * a quarter under a seed parameter, train switches algorithm, the gate is raised, a note says why,
 * and feature was only moved.
 */
export function secondVersion(): PipelineDocument {
  const document = structuredClone(firstVersion());
  const node = (id: string) => {
    const found = document.nodes.find((candidate) => candidate.id === id);
    if (!found) throw new Error(`the deploy example has no ${id} node`);
    return found;
  };
  document.nodes = document.nodes.filter((candidate) => candidate.id !== 'deploy');
  document.edges = document.edges.filter(
    (edge) => edge.target.node !== 'deploy' && edge.id !== 'clean-split',
  );
  document.parameters = [
    ...document.parameters.filter((parameter) => parameter.name !== 'model'),
    { name: 'seed', type: 'number', default: 7, description: 'Seed of the train/test split' },
  ];
  document.nodes.push({
    id: 'clip',
    type: 'clean',
    label: 'Clip outliers',
    position: { x: 390, y: 300 },
    config: {
      operations: [
        { op: 'clip', columns: { byType: 'numeric' }, method: 'quantile', lower: 0.01, upper: 0.99 },
      ],
    },
  });
  document.edges.push(
    { id: 'clean-clip', source: { node: 'clean', port: 'data' }, target: { node: 'clip', port: 'data' } },
    { id: 'clip-split', source: { node: 'clip', port: 'data' }, target: { node: 'split', port: 'data' } },
  );
  node('split').config = { ...node('split').config, testFraction: 0.25, seed: { $param: 'seed' } };
  node('train').config = { ...node('train').config, algorithm: 'random_forest' };
  node('evaluate').config = { gates: [{ metric: 'accuracy', operator: '>=', value: 0.8 }] };
  node('feature').position = { x: 780, y: 60 };
  document.notes = [
    {
      id: 'why-clip',
      text: 'Clipping before the split keeps extreme rows out of both sets',
      position: { x: 390, y: 460 },
    },
  ];
  return document;
}
