import type { NodeRun } from '../../../../nodes/_kit/define-node';
import { writeJsonArtifact } from '../../../../nodes/_kit/json-artifact';
import { sleepWithProgress } from '../../../../nodes/_kit/sleep';
import type { testSourceSpec } from './spec';

export const runTestSource: NodeRun<typeof testSourceSpec> = async ({ config }, context) => {
  context.log.info('executing', { attempt: context.attempt });
  await sleepWithProgress(config.sleepMs, context.signal, context.progress);
  const out = await writeJsonArtifact(context, 'out', 'dataset', {
    node: context.nodeId,
    value: config.value,
  });
  return { outputs: { out: out.ref }, summary: { rows: 1 } };
};
