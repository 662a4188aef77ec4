import type { ArtifactRef } from '../../nodes/_kit/artifact-ref';
import { nodeRuns } from '../../nodes/runs';
import type { NodeHarness } from './node-harness';
import { csvDataset } from './test-dataset';

/**
 * For Batch score tests: 600 customers (id, tenure, plan with a few missing, member, left), split,
 * engineered (tenure standardised, plan one-hot) and a decision tree trained on them by the real
 * nodes. `raw` is the split's output: the rows a score step takes.
 */
export interface CustomerModel {
  raw: ArtifactRef;
  featured: ArtifactRef;
  model: ArtifactRef;
}

function output(ref: ArtifactRef | undefined): ArtifactRef {
  if (!ref) throw new Error('a step gave no output');
  return ref;
}

/** Leaving is likelier with a short tenure and a basic plan. */
export function customersCsv(): string {
  const plans = ['basic', 'pro', 'team'];
  const lines = ['id,tenure,plan,member,left'];
  for (let i = 0; i < 600; i++) {
    const tenure = (i * 37) % 60;
    const plan = plans[i % 3] ?? 'basic';
    const member = i % 4 === 0;
    const left = tenure < 20 || (plan === 'basic' && tenure < 30) ? 'yes' : 'no';
    lines.push(`${i},${tenure},${i % 70 === 3 ? '' : plan},${member},${left}`);
  }
  return lines.join('\n');
}

export async function trainCustomerModel(harness: NodeHarness): Promise<CustomerModel> {
  const ingested = await csvDataset(harness, 'customers', customersCsv());
  const split = await harness.run(
    nodeRuns.split,
    { method: 'stratified', stratifyBy: 'left', seed: 7 },
    { data: ingested },
  );
  const raw = output(split.outputs.data);
  const engineered = await harness.run(
    nodeRuns.feature,
    {
      operations: [
        { op: 'standardize', columns: ['tenure'] },
        { op: 'one_hot', columns: ['plan'] },
      ],
    },
    { data: raw },
  );
  const featured = output(engineered.outputs.data);
  const trained = await harness.run(
    nodeRuns.train,
    {
      target: 'left',
      algorithm: 'decision_tree',
      features: ['tenure', 'plan=basic', 'plan=pro', 'plan=team'],
    },
    { data: featured },
  );
  return { raw, featured, model: output(trained.outputs.model) };
}
