import { resolveColumns } from '../_data/columns';
import { openDataset, requireColumn } from '../_data/dataset-input';
import { writeDatasetWithTransforms } from '../_data/dataset-output';
import { SPLIT_COLUMN } from '../_data/dataset-schema';
import { Duck } from '../_data/duck';
import { quoteIdents } from '../_data/sql';
import { TableChain } from '../_data/table-chain';
import type { NodeRun } from '../_kit/define-node';
import { applyFeature } from './operations';
import type { featureSpec } from './spec';

export const runFeature: NodeRun<typeof featureSpec> = async ({ config, inputs }, context) => {
  const duck = await Duck.open();
  try {
    const dataset = await openDataset(duck, inputs.data);
    const target = config.target ? requireColumn(dataset, config.target, 'target') : undefined;
    const chain = new TableChain(duck);
    await chain.load(dataset.file);
    for (const [index, operation] of config.operations.entries()) {
      await applyFeature(chain, operation, index, target);
      context.progress((index + 1) / (config.operations.length + 1));
    }
    const candidates = chain.columns.filter(
      (column) => column.name !== SPLIT_COLUMN && column.name !== target,
    );
    const features = config.features
      ? resolveColumns(config.features, candidates, 'features')
      : candidates.map((column) => column.name);
    const kept = [...features, ...(target ? [target] : []), ...(chain.hasSplit ? [SPLIT_COLUMN] : [])];
    chain.learned.push({ op: 'select', features, target });
    const { stored, profile } = await writeDatasetWithTransforms(
      duck,
      context,
      'data',
      { sql: `select ${quoteIdents(kept)} from ${chain.current}`, params: [] },
      { file: dataset.file, learned: chain.learned },
    );
    return {
      outputs: { data: stored.ref },
      summary: { rows: profile.rows, features: features.length, target: target ?? null },
    };
  } finally {
    duck.close();
  }
};
