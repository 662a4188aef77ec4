import { z } from 'zod';
import { defineNode } from '../../../../nodes/_kit/define-node';

/** Test-only: joins two datasets into one. The bottom of a diamond in engine tests. */
export const testJoinSpec = defineNode({
  type: 'test.join',
  version: 1,
  category: 'feature',
  title: 'Test join',
  description: 'Combines two JSON artifacts (engine tests only).',
  icon: 'flask',
  internal: true,
  config: z.object({}),
  ui: {},
  inputs: { left: { kind: 'dataset', label: 'Left' }, right: { kind: 'dataset', label: 'Right' } },
  outputs: { out: { kind: 'dataset', label: 'Data' } },
  execution: { startToClose: '10 minutes', heartbeat: '10 seconds', maxAttempts: 3 },
});
