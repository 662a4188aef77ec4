import type { NodeRun } from '../../../../nodes/_kit/define-node';
import { readJsonArtifact, writeJsonArtifact } from '../../../../nodes/_kit/json-artifact';
import type { testJoinSpec } from './spec';

export const runTestJoin: NodeRun<typeof testJoinSpec> = async ({ inputs }, context) => {
  context.log.info('executing', { attempt: context.attempt });
  const [left, right] = await Promise.all([
    readJsonArtifact(context, inputs.left),
    readJsonArtifact(context, inputs.right),
  ]);
  const out = await writeJsonArtifact(context, 'out', 'dataset', { node: context.nodeId, left, right });
  return { outputs: { out: out.ref }, summary: { rows: 2 } };
};
