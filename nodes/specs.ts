import type { NodeSpec } from './_kit/define-node';
import { cleanSpec } from './clean/spec';
import { evaluateSpec } from './evaluate/spec';
import { featureSpec } from './feature/spec';
import { ingestSpec } from './ingest/spec';
import { splitSpec } from './split/spec';
import { testJoinSpec } from './test-join/spec';
import { testSourceSpec } from './test-source/spec';
import { testTransformSpec } from './test-transform/spec';
import { trainSpec } from './train/spec';

/** Every node type by its stable id. Isomorphic: the editor, the compiler and the worker share it. */
export const nodeSpecs = {
  ingest: ingestSpec,
  clean: cleanSpec,
  feature: featureSpec,
  split: splitSpec,
  train: trainSpec,
  evaluate: evaluateSpec,
  'test.source': testSourceSpec,
  'test.transform': testTransformSpec,
  'test.join': testJoinSpec,
} as const;

export type NodeType = keyof typeof nodeSpecs;

export function isNodeType(type: string): type is NodeType {
  return Object.hasOwn(nodeSpecs, type);
}

export function nodeSpec(type: string): NodeSpec | undefined {
  return isNodeType(type) ? nodeSpecs[type] : undefined;
}
