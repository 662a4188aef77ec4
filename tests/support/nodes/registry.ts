import type { BoundNodeRun } from '../../../nodes/_kit/bind-run';
import { bindRun } from '../../../nodes/_kit/bind-run';
import { nodeRun } from '../../../nodes/runs';
import { specOfWithTestNodes } from './specs';
import { runTestJoin } from './test-join/run';
import { testJoinSpec } from './test-join/spec';
import { runTestSource } from './test-source/run';
import { testSourceSpec } from './test-source/spec';
import { runTestTransform } from './test-transform/run';
import { testTransformSpec } from './test-transform/spec';

export { specOfWithTestNodes, testNodeSpecs } from './specs';

const testNodeRuns = new Map<string, BoundNodeRun>([
  ['test.source', bindRun(testSourceSpec, runTestSource)],
  ['test.transform', bindRun(testTransformSpec, runTestTransform)],
  ['test.join', bindRun(testJoinSpec, runTestJoin)],
]);

/** The production run functions plus the test nodes': what test workers hand the activities. Server-only. */
export function runOfWithTestNodes(type: string): BoundNodeRun | undefined {
  return nodeRun(type) ?? testNodeRuns.get(type);
}

/** Production nodes plus the test nodes, for code that takes a whole registry (the CLI). */
export const nodesWithTestNodes = { specOf: specOfWithTestNodes, runOf: runOfWithTestNodes };
