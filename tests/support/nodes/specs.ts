import type { NodeSpec } from '../../../nodes/_kit/define-node';
import { nodeSpec } from '../../../nodes/specs';
import { testJoinSpec } from './test-join/spec';
import { testSourceSpec } from './test-source/spec';
import { testTransformSpec } from './test-transform/spec';

/**
 * Node types only tests know: they sleep, fail on purpose and pass small JSON artifacts along.
 * Isomorphic, like nodes/specs.ts; their run functions are in ./registry.ts.
 */
export const testNodeSpecs = {
  'test.source': testSourceSpec,
  'test.transform': testTransformSpec,
  'test.join': testJoinSpec,
} as const;

const testSpecs = new Map<string, NodeSpec>(Object.entries(testNodeSpecs));

/** The production specs plus the test nodes: what tests hand the compiler (`specOf`). */
export function specOfWithTestNodes(type: string): NodeSpec | undefined {
  return nodeSpec(type) ?? testSpecs.get(type);
}
