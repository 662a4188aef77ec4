import { openDataset } from '../_data/dataset-input';
import { writeDatasetWithTransforms } from '../_data/dataset-output';
import { Duck } from '../_data/duck';
import { TableChain } from '../_data/table-chain';
import type { NodeRun } from '../_kit/define-node';
import { NodeInputError } from '../_kit/errors';
import { applyOperation } from './operations';
import { checkRules } from './rules';
import type { cleanSpec } from './spec';

export const runClean: NodeRun<typeof cleanSpec> = async ({ config, inputs }, context) => {
  const duck = await Duck.open();
  try {
    const dataset = await openDataset(duck, inputs.data);
    const chain = new TableChain(duck);
    await chain.load(dataset.file);
    for (const [index, operation] of config.operations.entries()) {
      await applyOperation(chain, operation, index);
      context.progress((index + 1) / (config.operations.length + 1));
    }
    const rules = await checkRules(chain, config.rules);
    for (const result of rules.filter((rule) => !rule.passed && rule.action === 'warn')) {
      context.log.warn(`Data-quality rule not met: ${result.description}: measured ${result.measured}`);
    }
    const failed = rules.filter((rule) => !rule.passed && rule.action === 'fail');
    if (failed.length) {
      const list = failed.map((rule) => `${rule.description}: measured ${rule.measured}`).join('; ');
      throw new NodeInputError(`Data-quality rules failed: ${list}`, { field: 'rules' });
    }
    const { stored, profile } = await writeDatasetWithTransforms(
      duck,
      context,
      'data',
      { sql: `select * from ${chain.current}`, params: [] },
      { file: dataset.file, learned: chain.learned },
    );
    return {
      outputs: { data: stored.ref },
      summary: { rows: profile.rows, columns: profile.columns.length, rules, learned: chain.learned },
    };
  } finally {
    duck.close();
  }
};
