import { z } from 'zod';
import { defineNode } from '../../../../nodes/_kit/define-node';

/** Test-only: writes a small JSON dataset. Stands in for ingest nodes in engine tests and benchmarks. */
export const testSourceSpec = defineNode({
  type: 'test.source',
  version: 1,
  category: 'ingest',
  title: 'Test source',
  description: 'Writes a small JSON artifact (engine tests only).',
  icon: 'flask',
  internal: true,
  config: z.object({
    value: z.string().default('seed'),
    sleepMs: z.number().int().min(0).max(600_000).default(0),
  }),
  ui: { value: { label: 'Value' }, sleepMs: { label: 'Sleep (ms)', widget: 'number' } },
  inputs: {},
  outputs: { out: { kind: 'dataset', label: 'Data' } },
  execution: { startToClose: '10 minutes', heartbeat: '10 seconds', maxAttempts: 3 },
});
