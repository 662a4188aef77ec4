import { existsSync } from 'node:fs';
import type { NodeRun } from '../../../../nodes/_kit/define-node';
import { NodeInputError } from '../../../../nodes/_kit/errors';
import { readJsonArtifact, writeJsonArtifact } from '../../../../nodes/_kit/json-artifact';
import { sleepWithProgress } from '../../../../nodes/_kit/sleep';
import { rendezvous } from './rendezvous';
import type { testTransformSpec } from './spec';

export const runTestTransform: NodeRun<typeof testTransformSpec> = async ({ config, inputs }, context) => {
  context.log.info('executing', { attempt: context.attempt });
  const input = await readJsonArtifact(context, inputs.in);
  if (config.rendezvous)
    await rendezvous(config.rendezvous.folder, context.nodeId, config.rendezvous.parties, context.signal);
  await sleepWithProgress(config.sleepMs, context.signal, context.progress);
  if (config.failAlways) throw new NodeInputError(config.failMessage, { field: 'failAlways' });
  if (config.failWhileMissing && !existsSync(config.failWhileMissing)) throw new Error(config.failMessage);
  if (context.attempt <= config.failAttempts)
    throw new Error(`${config.failMessage} (attempt ${context.attempt})`);
  const out = await writeJsonArtifact(context, 'out', 'dataset', { node: context.nodeId, input });
  const metrics = config.metric === undefined ? undefined : { score: config.metric };
  return { outputs: { out: out.ref }, summary: { rows: 1, metrics } };
};
