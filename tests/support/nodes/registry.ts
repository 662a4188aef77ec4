import type { BoundNodeRun } from '../../../nodes/_kit/bind-run';
import { bindRun } from '../../../nodes/_kit/bind-run';
import type { NodeSpec } from '../../../nodes/_kit/define-node';
import { nodeRun } from '../../../nodes/runs';
import { nodeSpec } from '../../../nodes/specs';
import { runTestJoin } from './test-join/run';
import { testJoinSpec } from './test-join/spec';
import { runTestSource } from './test-source/run';
import { testSourceSpec } from './test-source/spec';
import { runTestTransform } from './test-transform/run';
import { testTransformSpec } from './test-transform/spec';

/** Node types only tests know: they sleep, fail on purpose and pass small JSON artifacts along. */
export const testNodeSpecs = {
  'test.source': testSourceSpec,
  'test.transform': testTransformSpec,
  'test.join': testJoinSpec,
} as const;

const testNodeRuns = new Map<string, BoundNodeRun>([
  ['test.source', bindRun(testSourceSpec, runTestSource)],
  ['test.transform', bindRun(testTransformSpec, runTestTransform)],
  ['test.join', bindRun(testJoinSpec, runTestJoin)],
]);

const testSpecs = new Map<string, NodeSpec>(Object.entries(testNodeSpecs));

/** The production specs plus the test nodes: what tests hand the compiler (`specOf`). */
export function specOfWithTestNodes(type: string): NodeSpec | undefined {
  return nodeSpec(type) ?? testSpecs.get(type);
}

/** The production run functions plus the test nodes': what test workers hand the activities. */
export function runOfWithTestNodes(type: string): BoundNodeRun | undefined {
  return nodeRun(type) ?? testNodeRuns.get(type);
}

/** Production nodes plus the test nodes, for code that takes a whole registry (the CLI). */
export const nodesWithTestNodes = { specOf: specOfWithTestNodes, runOf: runOfWithTestNodes };
