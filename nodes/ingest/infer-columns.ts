import type { ColumnInference } from '../_kit/known-columns';
import { sampleColumns } from './sample-columns';

/** A sample's columns are known; a file's or a query's only once it is read. */
export function inferIngestColumns(config: {
  source: 'sample' | 'file' | 'postgres';
  sample: keyof typeof sampleColumns;
}): ColumnInference {
  return {
    outputs: { data: config.source === 'sample' ? sampleColumns[config.sample] : undefined },
    problems: [],
  };
}
