import type { NodeSpec } from './_kit/define-node';
import { cleanSpec } from './clean/spec';
import { deploySpec } from './deploy/spec';
import { evaluateSpec } from './evaluate/spec';
import { featureSpec } from './feature/spec';
import { ingestSpec } from './ingest/spec';
import { ingestPredictionsSpec } from './ingest-predictions/spec';
import { monitorDriftSpec } from './monitor-drift/spec';
import { monitorRetrainSpec } from './monitor-retrain/spec';
import { scoreSpec } from './score/spec';
import { splitSpec } from './split/spec';
import { trainSpec } from './train/spec';

/**
 * Every node type by its stable id. Isomorphic: the editor, the compiler and the worker share it.
 * Test-only node types live in tests/support/nodes; tests pass a registry that adds them.
 */
export const nodeSpecs = {
  ingest: ingestSpec,
  clean: cleanSpec,
  feature: featureSpec,
  split: splitSpec,
  train: trainSpec,
  evaluate: evaluateSpec,
  deploy: deploySpec,
  score: scoreSpec,
  'monitor.drift': monitorDriftSpec,
  'monitor.retrain': monitorRetrainSpec,
  'ingest.predictions': ingestPredictionsSpec,
} as const;

export type NodeType = keyof typeof nodeSpecs;

export function isNodeType(type: string): type is NodeType {
  return Object.hasOwn(nodeSpecs, type);
}

/** The production registry as the compiler takes it (`specOf`). */
export function nodeSpec(type: string): NodeSpec | undefined {
  return isNodeType(type) ? nodeSpecs[type] : undefined;
}
